package dev.cutover.orchestrator.saga;

import static dev.cutover.orchestrator.saga.SagaStep.step;

import dev.cutover.contracts.Failure;
import dev.cutover.contracts.Message;
import dev.cutover.contracts.Step;
import dev.cutover.contracts.datasync.AwaitCatchUp;
import dev.cutover.contracts.datasync.CatchUpFailed;
import dev.cutover.contracts.datasync.DataSyncCompensated;
import dev.cutover.contracts.datasync.DataSyncFailed;
import dev.cutover.contracts.datasync.DataSynced;
import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.datasync.EndWayBack;
import dev.cutover.contracts.datasync.FinalSyncCompensated;
import dev.cutover.contracts.datasync.PauseReplication;
import dev.cutover.contracts.datasync.ReplicationCaughtUp;
import dev.cutover.contracts.datasync.ResumeReplication;
import dev.cutover.contracts.datasync.SyncData;
import dev.cutover.contracts.datasync.TargetVerified;
import dev.cutover.contracts.datasync.UndoFinalSync;
import dev.cutover.contracts.datasync.UndoSyncData;
import dev.cutover.contracts.datasync.VerificationFailed;
import dev.cutover.contracts.datasync.VerifyTarget;
import dev.cutover.contracts.datasync.WayBackEnded;
import dev.cutover.contracts.migration.CleanupFailed;
import dev.cutover.contracts.migration.CompensationFailed;
import dev.cutover.contracts.preflight.PreflightCompleted;
import dev.cutover.contracts.preflight.PreflightFailed;
import dev.cutover.contracts.preflight.RunPreflight;
import dev.cutover.contracts.provisioning.CompleteMigration;
import dev.cutover.contracts.provisioning.CompletionCompensated;
import dev.cutover.contracts.provisioning.PromotionFailed;
import dev.cutover.contracts.provisioning.ProvisionTarget;
import dev.cutover.contracts.provisioning.RetireSource;
import dev.cutover.contracts.provisioning.SourceRetired;
import dev.cutover.contracts.provisioning.ProvisioningCompensated;
import dev.cutover.contracts.provisioning.ProvisioningFailed;
import dev.cutover.contracts.provisioning.TargetPromoted;
import dev.cutover.contracts.provisioning.TargetProvisioned;
import dev.cutover.contracts.provisioning.UndoCompleteMigration;
import dev.cutover.contracts.provisioning.UndoProvisionTarget;
import dev.cutover.contracts.traffic.EndForwarding;
import dev.cutover.contracts.traffic.ForwardingEnded;
import dev.cutover.contracts.traffic.HoldTraffic;
import dev.cutover.contracts.traffic.UndoHoldTraffic;
import dev.cutover.contracts.traffic.SwitchTraffic;
import dev.cutover.contracts.traffic.TrafficHeld;
import dev.cutover.contracts.traffic.TrafficHoldFailed;
import dev.cutover.contracts.traffic.TrafficHoldCompensated;
import dev.cutover.contracts.traffic.TrafficSwitchCompensated;
import dev.cutover.contracts.traffic.TrafficSwitchFailed;
import dev.cutover.contracts.traffic.TrafficSwitched;
import dev.cutover.contracts.traffic.UndoSwitchTraffic;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The migration saga as one ordered table of steps, each with its compensation, and the state machine that walks it.
 * Plain Java: given the saga's position and what happened, it says the next position and the commands to send.
 */
public final class MigrationSaga {

    /**
     * The runbook: each step, the command its participant gets, the reply that completes it, and its compensation. An abort
     * or a failure compensates the steps up to the switch-over; the switch-over's and the completion's compensations run
     * only in a rollback, after the target's writes are back on the source.
     */
    public static final List<SagaStep> STEPS = List.of(
            step(Step.PREFLIGHT).shows(MigrationState.PREFLIGHT)
                    .invokes(m -> new RunPreflight(m.id(), m.environment(), m.targetServer(), m.strategy(), false, null, m.oneWay(), m.tenant()))
                    .onReply(e -> e instanceof PreflightCompleted c && !c.recheck())
                    .onFailure(e -> e instanceof PreflightFailed f && !f.recheck()),
            step(Step.PREPARE).shows(MigrationState.PREPARING)
                    .invokes(m -> new ProvisionTarget(m.id(), m.environment(), m.targetServer(), m.targetName()))
                    .onReply(TargetProvisioned.class).onFailure(ProvisioningFailed.class)
                    .withCompensation(m -> new UndoProvisionTarget(m.id(), m.environment(), m.targetName()), ProvisioningCompensated.class),
            step(Step.SYNC).shows(MigrationState.SYNCING)
                    .invokes(m -> new SyncData(m.id(), m.environment(), m.targetName(), m.strategy(), false, false))
                    .onReply(e -> e instanceof DataSynced d && !d.finalSync()).onFailure(DataSyncFailed.class)
                    .withCompensation(m -> new UndoSyncData(m.id(), m.environment(), m.targetName()), DataSyncCompensated.class),
            step(Step.VERIFY).shows(MigrationState.VERIFYING)
                    .invokes(m -> new VerifyTarget(m.id(), m.environment(), m.targetName()))
                    .onReply(TargetVerified.class).onFailure(VerificationFailed.class),
            step(Step.RECHECK).shows(MigrationState.SWITCHING_OVER).afterConfirmation()
                    .invokes(m -> new RunPreflight(m.id(), m.environment(), m.targetServer(), m.strategy(), true, m.targetName(), m.oneWay(), m.tenant()))
                    .onReply(e -> e instanceof PreflightCompleted c && c.recheck())
                    .onFailure(e -> e instanceof PreflightFailed f && f.recheck()),
            step(Step.CATCH_UP).shows(MigrationState.SWITCHING_OVER)
                    .invokes(m -> new AwaitCatchUp(m.id(), m.environment(), m.targetName(), !m.oneWay()))
                    .onReply(ReplicationCaughtUp.class).onFailure(CatchUpFailed.class),
            step(Step.FREEZE).shows(MigrationState.SWITCHING_OVER)
                    .invokes(m -> new HoldTraffic(m.id(), m.environment(), m.targetName()))
                    .onReply(TrafficHeld.class).onFailure(TrafficHoldFailed.class)
                    .withCompensation(m -> new UndoHoldTraffic(m.id(), m.environment()), TrafficHoldCompensated.class),
            step(Step.FINAL_SYNC).shows(MigrationState.SWITCHING_OVER)
                    .invokes(m -> new SyncData(m.id(), m.environment(), m.targetName(), m.strategy(), true, !m.oneWay()))
                    .onReply(e -> e instanceof DataSynced d && d.finalSync()).onFailure(DataSyncFailed.class)
                    .withCompensation(m -> new UndoFinalSync(m.id(), m.environment()), FinalSyncCompensated.class),
            step(Step.SWITCH_OVER).shows(MigrationState.SWITCHING_OVER)
                    .invokes(m -> new SwitchTraffic(m.id(), m.environment(), m.targetName()))
                    .onReply(TrafficSwitched.class).onFailure(TrafficSwitchFailed.class)
                    .withCompensation(m -> new UndoSwitchTraffic(m.id(), m.environment(), m.targetName()), TrafficSwitchCompensated.class),
            step(Step.COMPLETE).shows(MigrationState.SWITCHING_OVER)
                    .invokes(m -> new CompleteMigration(m.id(), m.environment(), m.targetName()))
                    .onReply(TargetPromoted.class).onFailure(PromotionFailed.class)
                    .withCompensation(m -> new UndoCompleteMigration(m.id(), m.environment(), m.targetName()), CompletionCompensated.class));

    /**
     * Rollback after the switch-over, in order: the way back caught up right before the freeze; hold the target's
     * requests; the final sync in the other direction (the
     * target fenced, the source caught up through the reverse replication, or, for a one-way move, the target copied
     * back), so nothing written on the target is lost; point the routes back at the source and release the held requests
     * there; make the source the default again; end the replications and remove the target, so the next migration to
     * that server finds its name free. The last four are the runbook's own compensations of those steps.
     */
    public static final List<SagaStep> ROLLBACK = List.of(
            step(Step.CATCH_UP).shows(MigrationState.ROLLING_BACK)
                    .invokes(m -> new AwaitCatchUp(m.id(), m.targetName(), m.environment(), false))
                    .onReply(ReplicationCaughtUp.class).onFailure(CatchUpFailed.class),
            step(Step.FREEZE).shows(MigrationState.ROLLING_BACK)
                    .invokes(m -> new HoldTraffic(m.id(), m.targetName(), m.environment()))
                    .onReply(TrafficHeld.class).onFailure(TrafficHoldFailed.class),
            step(Step.FINAL_SYNC).shows(MigrationState.ROLLING_BACK)
                    .invokes(m -> new SyncData(m.id(), m.targetName(), m.environment(), m.strategy(), true, false))
                    .onReply(e -> e instanceof DataSynced d && d.finalSync()).onFailure(DataSyncFailed.class),
            compensationOf(Step.SWITCH_OVER),
            compensationOf(Step.COMPLETE),
            compensationOf(Step.SYNC),
            compensationOf(Step.PREPARE));

    /**
     * Finalizing, once the migration is no longer to be rolled back (its retention is over, or the user finalized it), in
     * order: end the way back (it needs both sides); end the old address's forwarding and forget the routes to point
     * back; destroy the source. A failed cleanup is tried again; nothing of the move itself is undone.
     */
    public static final List<SagaStep> FINALIZE = List.of(
            step(Step.SYNC).shows(MigrationState.FINALIZING)
                    .invokes(m -> new EndWayBack(m.id(), m.environment(), m.targetName()))
                    .onReply(WayBackEnded.class).onFailure(cleanupFailed(Step.SYNC)),
            step(Step.SWITCH_OVER).shows(MigrationState.FINALIZING)
                    .invokes(m -> new EndForwarding(m.id(), m.environment(), m.targetName()))
                    .onReply(ForwardingEnded.class).onFailure(cleanupFailed(Step.SWITCH_OVER)),
            step(Step.PREPARE).shows(MigrationState.FINALIZING)
                    .invokes(m -> new RetireSource(m.id(), m.environment(), m.targetName()))
                    .onReply(SourceRetired.class).onFailure(cleanupFailed(Step.PREPARE)));

    /** Abort is possible until traffic has been switched: up to and including the final sync inside the freeze. */
    static final int LAST_ABORTABLE = indexOf(Step.FINAL_SYNC);
    /** Past the switch-over the target serves: undoing the steps before would lose what it took since. */
    private static final int SWITCHED = indexOf(Step.SWITCH_OVER);
    /** Past this rollback step the source serves again: what fails after it is cleanup, not the way back. */
    private static final int SWITCHED_BACK = ROLLBACK.stream().map(SagaStep::step).toList().indexOf(Step.SWITCH_OVER);
    /** Before this rollback step nothing is held or fenced: a failure leaves the migration completed, as it was. */
    private static final int ROLLBACK_FREEZE = ROLLBACK.stream().map(SagaStep::step).toList().indexOf(Step.FREEZE);

    private MigrationSaga() {
    }

    /**
     * The step an event answers where the migration stands: the running row's own, when it knows the event (a failed final
     * sync is the final sync's failure, not the first sync's), else the first row of the tables that knows it.
     */
    private static Optional<StepOutcome> outcomeOf(SagaPosition p, Message event) {
        SagaStep current = p.step();
        if (p.compensating() && current.compensatedBy() != null && current.compensatedBy().isInstance(event)) {
            return Optional.of(new StepOutcome(current.step(), StepOutcome.Kind.COMPENSATED));
        }
        if (!p.compensating() && current.completedBy().test(event)) {
            return Optional.of(new StepOutcome(current.step(), StepOutcome.Kind.COMPLETED));
        }
        if (!p.compensating() && current.failedBy().test(event)) {
            return Optional.of(new StepOutcome(current.step(), StepOutcome.Kind.FAILED));
        }
        return outcomeOf(event);
    }

    /** The step an event answers, read from the tables (the first row that knows the event); empty for progress and the like. */
    static Optional<StepOutcome> outcomeOf(Message event) {
        if (event instanceof CompensationFailed f) {
            return Optional.of(new StepOutcome(f.step(), StepOutcome.Kind.FAILED));
        }
        for (SagaStep row : Stream.of(STEPS, ROLLBACK, FINALIZE).flatMap(List::stream).toList()) {
            if (row.completedBy().test(event)) {
                return Optional.of(new StepOutcome(row.step(), StepOutcome.Kind.COMPLETED));
            }
            if (row.failedBy().test(event)) {
                return Optional.of(new StepOutcome(row.step(), StepOutcome.Kind.FAILED));
            }
            if (row.compensatedBy() != null && row.compensatedBy().isInstance(event)) {
                return Optional.of(new StepOutcome(row.step(), StepOutcome.Kind.COMPENSATED));
            }
        }
        return Optional.empty();
    }

    /** A migration just created: preflight is dispatched. */
    public static Decision start(MigrationFacts m) {
        return Decision.advance(new SagaPosition(MigrationState.PREFLIGHT, 0, null),
                List.of(STEPS.get(0).command().apply(m)), "migration requested");
    }

    /**
     * A service event about this migration. Events that don't fit the current position (late, duplicate) change nothing;
     * the decision says which step the event answers, and how, whatever it decides.
     */
    public static Decision on(SagaPosition p, MigrationFacts m, Message event) {
        return decide(p, m, event).answering(outcomeOf(p, event).orElse(null));
    }

    private static Decision decide(SagaPosition p, MigrationFacts m, Message event) {
        if (p.state().terminal()) {
            return Decision.ignore(p, "migration already " + p.state().label());
        }
        if (p.state() == MigrationState.ROLLING_BACK) {
            return onRollback(p, m, event);
        }
        if (p.state() == MigrationState.FINALIZING) {
            return onFinalize(p, m, event);
        }
        SagaStep current = STEPS.get(p.stepIndex());
        if (p.compensating()) {
            if (compensationFailed(current.step()).test(event)) {
                return retryOrAttention(p, m, "compensation of " + current.step().label(), reasonOf(event));
            }
            return current.compensatedBy() != null && current.compensatedBy().isInstance(event)
                    ? compensateBelow(p, m, p.stepIndex(), "compensated " + current.step().label())
                    : Decision.ignore(p, "not the awaited compensation");
        }
        if (p.state() == MigrationState.AWAITING_CONFIRMATION) {
            return Decision.ignore(p, "waiting for confirmation");
        }
        if (p.state() == MigrationState.WAITING_FOR_CATCH_UP) {
            return Decision.ignore(p, "waiting for the replication to catch up");
        }
        if (current.completedBy().test(event)) {
            return next(p, m, p.stepIndex() + 1, current.step().label() + " completed");
        }
        if (current.failedBy().test(event)) {
            return fail(p, m, current.step().label() + " failed: " + reasonOf(event));
        }
        return Decision.ignore(p, "not an outcome of the running step");
    }

    /** The human confirmation: only a migration waiting for it goes on. */
    public static Decision confirm(SagaPosition p, MigrationFacts m) {
        if (p.state() != MigrationState.AWAITING_CONFIRMATION) {
            return Decision.refuse(p, "migration is " + p.state().label() + ", not awaiting confirmation");
        }
        SagaStep gated = STEPS.get(p.stepIndex());
        return Decision.advance(new SagaPosition(gated.state(), p.stepIndex(), null),
                List.of(gated.command().apply(m)), "confirmed");
    }

    /**
     * The clock, for a migration waiting for its switch-over window: inside it, the migration confirms itself (the recheck
     * and the downtime budget still decide); past its end, it waits for a person instead, saying so.
     */
    public static Decision windowOpened(SagaPosition p, MigrationFacts m, OffsetDateTime now) {
        if (p.state() != MigrationState.AWAITING_CONFIRMATION || m.gate().switchOverAt() == null || now.isBefore(m.gate().switchOverAt())) {
            return Decision.ignore(p, "not in a switch-over window");
        }
        if (m.gate().switchOverUntil() != null && !now.isBefore(m.gate().switchOverUntil())) {
            return Decision.advance(p, List.of(), "its switch-over window " + m.gate().window() + " passed before it was ready: waiting for"
                    + " confirmation (cutover confirm), or abort");
        }
        Decision confirmed = confirm(p, m);
        return Decision.advance(confirmed.position(), confirmed.commands(), "confirmed in its switch-over window " + m.gate().window());
    }

    /**
     * A new prediction of the freeze (or the user's force) while waiting for the replication to catch up: the freeze
     * starts once it fits the budget.
     */
    public static Decision reconsider(SagaPosition p, MigrationFacts m) {
        if (p.state() != MigrationState.WAITING_FOR_CATCH_UP) {
            return Decision.ignore(p, "not waiting for catch-up");
        }
        if (!m.mayFreeze()) {
            return Decision.ignore(p, m.whyNotFreezing());
        }
        SagaStep catchUp = STEPS.get(p.stepIndex());
        return Decision.advance(new SagaPosition(catchUp.state(), p.stepIndex(), null), List.of(catchUp.command().apply(m)),
                m.gate().forced() ? "switch-over forced by the user" : "predicted freeze " + m.gate().predictedFreezeMillis()
                        + " ms is within the budget of " + m.gate().freezeBudgetMillis() + " ms");
    }

    /** The user's force: only a migration waiting for catch-up can be forced. */
    public static Decision force(SagaPosition p, MigrationFacts m) {
        if (p.state() != MigrationState.WAITING_FOR_CATCH_UP) {
            return Decision.refuse(p, "migration is " + p.state().label() + ", not waiting for catch-up");
        }
        return reconsider(p, m);
    }

    /**
     * Pause, while a live migration waits before its switch-over (for confirmation, or for its lag to fall): its targets
     * stop applying the replication; the slots keep every change, and the lag and WAL warnings go on.
     */
    public static Decision pause(SagaPosition p, MigrationFacts m) {
        if (!(p.state() == MigrationState.AWAITING_CONFIRMATION || p.state() == MigrationState.WAITING_FOR_CATCH_UP)) {
            return Decision.refuse(p, "migration is " + p.state().label() + ": only a migration waiting before its switch-over"
                    + " (awaiting confirmation, or waiting for catch-up) is paused");
        }
        if (m.strategy() != Strategy.LIVE) {
            return Decision.refuse(p, "a " + m.strategy().name().toLowerCase() + " migration replicates nothing while it waits:"
                    + " there is nothing to pause");
        }
        return Decision.advance(new SagaPosition(MigrationState.PAUSED, p.stepIndex(), null),
                List.of(new PauseReplication(m.id(), m.environment(), m.targetName())), "paused: the target applies nothing until resumed");
    }

    /** Resume a paused migration: the targets catch up from where they stopped, and it waits where it waited. */
    public static Decision resume(SagaPosition p, MigrationFacts m) {
        if (p.state() != MigrationState.PAUSED) {
            return Decision.refuse(p, "migration is " + p.state().label() + ", not paused");
        }
        MigrationState waited = p.stepIndex() == indexOf(Step.RECHECK) ? MigrationState.AWAITING_CONFIRMATION : MigrationState.WAITING_FOR_CATCH_UP;
        return Decision.advance(new SagaPosition(waited, p.stepIndex(), null),
                List.of(new ResumeReplication(m.id(), m.environment(), m.targetName())), "resumed: the target catches up from where it stopped");
    }

    /** Abort before the switch-over: every step done or under way is compensated, newest first. */
    public static Decision abort(SagaPosition p, MigrationFacts m) {
        if (p.state() == MigrationState.NEEDS_ATTENTION && p.compensating()) {
            return Decision.refuse(p, "migration needs attention: repair it, or abort it by force (abort --force)");
        }
        if (p.state().terminal() || p.compensating() || p.finalizing()) {
            return Decision.refuse(p, "migration is " + p.state().label());
        }
        if (p.stepIndex() > LAST_ABORTABLE) {
            return Decision.refuse(p, "traffic already reaches the target: roll back instead of aborting");
        }
        // A step waiting to be dispatched has nothing to undo yet.
        boolean waiting = p.state().waiting();
        int from = waiting ? p.stepIndex() - 1 : p.stepIndex();
        return compensateFrom(new SagaPosition(MigrationState.ABORTING, from, MigrationState.ABORTED), m, from, "abort requested");
    }

    /** Rollback, once traffic reaches the target and the migration completed, until its rollback window ends. */
    public static Decision rollback(SagaPosition p, MigrationFacts m) {
        if (p.state() != MigrationState.COMPLETED || m.rollbackWindowOver()) {
            return Decision.refuse(p, switch (p.state()) {
                case ROLLED_BACK -> "migration is already rolled back";
                case COMPLETED -> "the rollback window of this migration is over and its way back removed, so it can no longer be"
                        + " rolled back (a new migration moves the environment back)";
                case FINALIZING, FINALIZED -> "migration is " + p.state().label() + ": its source is removed, so it can no longer"
                        + " be rolled back (a new migration moves the environment back)";
                default -> "migration is " + p.state().label() + ": only a completed migration rolls back (abort one that runs)";
            });
        }
        return Decision.advance(new SagaPosition(MigrationState.ROLLING_BACK, 0, null), List.of(ROLLBACK.get(0).command().apply(m)),
                "rollback requested");
    }

    /**
     * The end of the rollback window ({@code cutover.rollback.window} after completion): the way back is removed and
     * rollback is refused from then on; the migration stays completed, its source kept until it is finalized.
     */
    public static Decision endRollbackWindow(SagaPosition p, MigrationFacts m, String why) {
        if (p.state() != MigrationState.COMPLETED) {
            return Decision.ignore(p, "migration is " + p.state().label());
        }
        return Decision.advance(p, m.oneWay() || m.strategy() == Strategy.MANUAL ? List.of()
                : List.of(new EndWayBack(m.id(), m.environment(), m.targetName())), why + ": the way back is removed and the migration"
                + " can no longer be rolled back; its source is kept until the migration is finalized");
    }

    /**
     * Finalize ({@code cutover.retention} after completion, or the user's finalize): the cleanup starts; a finalize that
     * stopped on a failing cleanup is tried again from where it stopped.
     */
    public static Decision finalize(SagaPosition p, MigrationFacts m, String why) {
        if (p.state() == MigrationState.FINALIZING) {
            return Decision.advance(p, List.of(command(p, m)), why + ": trying " + action(p) + " again");
        }
        if (p.state() != MigrationState.COMPLETED) {
            return Decision.refuse(p, "migration is " + p.state().label() + ": only a completed migration is finalized");
        }
        return Decision.advance(new SagaPosition(MigrationState.FINALIZING, 0, null), List.of(FINALIZE.get(0).command().apply(m)),
                why + ": the way back, the old address's forwarding and the source are removed; no rollback from now on");
    }

    private static Decision onFinalize(SagaPosition p, MigrationFacts m, Message event) {
        SagaStep current = FINALIZE.get(p.stepIndex());
        if (current.completedBy().test(event)) {
            int next = p.stepIndex() + 1;
            return next == FINALIZE.size()
                    ? Decision.advance(new SagaPosition(MigrationState.FINALIZED, p.stepIndex(), null), List.of(),
                    "finalized: nothing of " + m.environment() + " is left; " + m.targetName() + " serves in its place")
                    : Decision.advance(new SagaPosition(MigrationState.FINALIZING, next, null), List.of(FINALIZE.get(next).command().apply(m)),
                    "finalize: " + action(p) + " done");
        }
        if (current.failedBy().test(event)) {
            return cleanupFailed(p, m, reasonOf(event));
        }
        return Decision.ignore(p, "not an outcome of the running cleanup");
    }

    /** A cleanup is tried again after a back-off, up to the bound; then it waits, finalizing, for the user's finalize. */
    private static Decision cleanupFailed(SagaPosition p, MigrationFacts m, String why) {
        if (m.tries().anotherLeft()) {
            return Decision.retry(p, action(p) + " failed " + m.tries().attempt() + ": " + why);
        }
        return Decision.advance(p, List.of(), action(p) + " failed " + m.tries().max() + " times: " + why
                + "; needs attention: cutover finalize " + m.id() + " tries it again");
    }

    private static Decision onRollback(SagaPosition p, MigrationFacts m, Message event) {
        SagaStep current = ROLLBACK.get(p.stepIndex());
        if (current.completedBy().test(event)) {
            int next = p.stepIndex() + 1;
            return next == ROLLBACK.size()
                    ? Decision.advance(new SagaPosition(MigrationState.ROLLED_BACK, p.stepIndex(), null), List.of(), "rolled back")
                    : Decision.advance(new SagaPosition(MigrationState.ROLLING_BACK, next, null),
                    List.of(ROLLBACK.get(next).command().apply(m)), "rollback: " + current.step().label() + " done");
        }
        if (current.failedBy().test(event)) {
            return rollbackFailed(p, m, "rollback failed: " + reasonOf(event));
        }
        return Decision.ignore(p, "not an outcome of the running rollback step");
    }

    /**
     * A rollback that can't finish lets the target take writes again (its final sync may have fenced them), lets the held
     * requests go where the routes point, and waits for an operator.
     */
    private static Decision rollbackFailed(SagaPosition p, MigrationFacts m, String why) {
        if (p.stepIndex() < ROLLBACK_FREEZE) {
            return Decision.advance(new SagaPosition(MigrationState.COMPLETED, STEPS.size() - 1, null), List.of(),
                    why + "; nothing was held or fenced: the target still serves, and the migration can be rolled back again");
        }
        if (p.stepIndex() > SWITCHED_BACK) {
            // The source serves again with every write: only the cleanup is left undone, and the target stays fenced.
            return Decision.advance(new SagaPosition(MigrationState.ROLLED_BACK, p.stepIndex(), null), List.of(),
                    "rolled back, but cleaning up (" + ROLLBACK.get(p.stepIndex()).step().label() + ") failed: " + why
                            + "; the target " + m.targetName() + " is left for an operator to remove");
        }
        return Decision.advance(new SagaPosition(MigrationState.FAILED, p.stepIndex(), null),
                List.of(new UndoFinalSync(m.id(), m.targetName()), new UndoHoldTraffic(m.id(), m.targetName())), why + "; needs an operator");
    }

    /** A step ran past its timeout: it fails like any failed step. */
    public static Decision timeout(SagaPosition p, MigrationFacts m, String why) {
        if (p.state().terminal() || p.state().waiting()) {
            return Decision.ignore(p, "nothing running");
        }
        if (p.state() == MigrationState.ROLLING_BACK) {
            return rollbackFailed(p, m, why);
        }
        if (p.state() == MigrationState.FINALIZING) {
            return cleanupFailed(p, m, why);
        }
        if (p.compensating()) {
            return retryOrAttention(p, m, "compensation of " + STEPS.get(p.stepIndex()).step().label(), why);
        }
        return fail(p, m, why);
    }

    /** The back-off of a failed action is over: the same command goes out again, from the same position. */
    public static Decision retry(SagaPosition p, MigrationFacts m) {
        if (p.state() != MigrationState.ABORTING && p.state() != MigrationState.FINALIZING
                && !(p.state() == MigrationState.SWITCHING_OVER && p.stepIndex() > SWITCHED)) {
            return Decision.ignore(p, "nothing to retry");
        }
        return Decision.advance(p, List.of(command(p, m)), "trying " + action(p) + " again (attempt " + (m.tries().done() + 1) + ")");
    }

    /** A person's repair of a migration that needs attention: what failed is tried again, with a fresh count of retries. */
    public static Decision repair(SagaPosition p, MigrationFacts m) {
        if (p.state() != MigrationState.NEEDS_ATTENTION) {
            return Decision.refuse(p, "migration is " + p.state().label() + ": only a migration that needs attention is repaired");
        }
        SagaPosition resumed = new SagaPosition(p.compensating() ? MigrationState.ABORTING : STEPS.get(p.stepIndex()).state(),
                p.stepIndex(), p.outcomeAfterCompensation());
        return Decision.advance(resumed, List.of(command(resumed, m)), "repair: trying " + action(resumed) + " again");
    }

    /**
     * A person gives up a compensation that needs attention: the migration ends aborted as it stands, and the reason names
     * what was left undone (this step's compensation and those below it), for the operator to clean up.
     */
    public static Decision abortByForce(SagaPosition p, MigrationFacts m) {
        if (p.state() != MigrationState.NEEDS_ATTENTION) {
            return Decision.refuse(p, "migration is " + p.state().label() + ": abort by force ends only a migration that needs attention"
                    + " (abort without --force otherwise)");
        }
        if (!p.compensating()) {
            return Decision.refuse(p, "traffic reaches the target: repair the migration instead (" + action(p) + " is what failed)");
        }
        List<String> undone = new ArrayList<>();
        for (int i = p.stepIndex(); i >= 0; i--) {
            if (STEPS.get(i).undo().isPresent()) {
                undone.add(STEPS.get(i).step().label());
            }
        }
        return Decision.advance(new SagaPosition(MigrationState.ABORTED, p.stepIndex(), null), List.of(),
                "aborted by force: not compensated, for an operator to clean up: " + String.join(", ", undone));
    }

    private static Decision next(SagaPosition p, MigrationFacts m, int index, String why) {
        if (index == STEPS.size()) {
            return Decision.advance(new SagaPosition(MigrationState.COMPLETED, index - 1, null), List.of(), why);
        }
        SagaStep step = STEPS.get(index);
        if (step.gated() && m.gate().switchOverAt() != null) {
            return Decision.advance(new SagaPosition(MigrationState.AWAITING_CONFIRMATION, index, null), List.of(),
                    why + "; waiting for its switch-over window " + m.gate().window() + ": it confirms itself then, if every check"
                            + " passes (cutover confirm switches over now)");
        }
        if (step.gated() && !m.gate().autoConfirm()) {
            return Decision.advance(new SagaPosition(MigrationState.AWAITING_CONFIRMATION, index, null), List.of(),
                    why + "; waiting for confirmation");
        }
        if (step.step() == Step.CATCH_UP && !m.mayFreeze()) {
            return Decision.advance(new SagaPosition(MigrationState.WAITING_FOR_CATCH_UP, index, null), List.of(),
                    why + "; " + m.whyNotFreezing());
        }
        return Decision.advance(new SagaPosition(step.state(), index, null), List.of(step.command().apply(m)), why);
    }

    private static Decision fail(SagaPosition p, MigrationFacts m, String why) {
        if (p.stepIndex() > SWITCHED) {
            // Traffic reaches the target and stays there: the step is tried again, not undone.
            return retryOrAttention(p, m, STEPS.get(p.stepIndex()).step().label(), why);
        }
        MigrationState outcome = p.stepIndex() == 0 ? MigrationState.PREFLIGHT_FAILED : MigrationState.FAILED;
        return compensateFrom(new SagaPosition(MigrationState.ABORTING, p.stepIndex(), outcome), m, p.stepIndex(), why);
    }

    /** Compensates the step at {@code from} (it may have done part of its work) and every one before it. */
    private static Decision compensateFrom(SagaPosition p, MigrationFacts m, int from, String why) {
        return compensateBelow(p, m, from + 1, why);
    }

    private static Decision compensateBelow(SagaPosition p, MigrationFacts m, int below, String why) {
        for (int i = below - 1; i >= 0; i--) {
            Optional<Message> undo = STEPS.get(i).undo().map(f -> f.apply(m));
            if (undo.isPresent()) {
                return Decision.advance(new SagaPosition(MigrationState.ABORTING, i, p.outcomeAfterCompensation()),
                        List.of(undo.get()), why);
            }
        }
        return Decision.advance(new SagaPosition(p.outcomeAfterCompensation(), Math.max(below - 1, 0), null), List.of(), why);
    }

    /**
     * A compensation (or a step after the switch-over) failed: tried again after a back-off, up to the bound; then the
     * migration needs attention, saying what failed, why, and what a person can do.
     */
    private static Decision retryOrAttention(SagaPosition p, MigrationFacts m, String what, String why) {
        if (m.tries().anotherLeft()) {
            return Decision.retry(p, what + " failed " + m.tries().attempt() + ": " + why);
        }
        return Decision.advance(new SagaPosition(MigrationState.NEEDS_ATTENTION, p.stepIndex(), p.outcomeAfterCompensation()), List.of(),
                what + " failed " + m.tries().max() + " times: " + why + "; needs attention: cutover repair " + m.id()
                        + " tries it again" + (p.compensating() ? ", cutover abort " + m.id() + " --force gives it up" : ""));
    }

    /** The command of the action at this position: its compensation while compensating, else the step's own. */
    private static Message command(SagaPosition p, MigrationFacts m) {
        SagaStep row = p.step();
        return p.compensating() ? row.undo().orElseThrow().apply(m) : row.command().apply(m);
    }

    private static String action(SagaPosition p) {
        return (p.compensating() ? "the compensation of " : p.finalizing() ? "the cleanup of " : "") + p.step().step().label();
    }

    /** A rollback step that runs a runbook step's compensation: answered as the compensation is, failed by its failure. */
    private static SagaStep compensationOf(Step forward) {
        SagaStep row = STEPS.get(indexOf(forward));
        return step(forward).shows(MigrationState.ROLLING_BACK).invokes(row.undo().orElseThrow())
                .onReply(row.compensatedBy()).onFailure(compensationFailed(forward));
    }

    private static Predicate<Message> compensationFailed(Step step) {
        return e -> e instanceof CompensationFailed f && f.step() == step;
    }

    private static Predicate<Message> cleanupFailed(Step step) {
        return e -> e instanceof CleanupFailed f && f.step() == step;
    }

    private static int indexOf(Step step) {
        for (int i = 0; i < STEPS.size(); i++) {
            if (STEPS.get(i).step() == step) {
                return i;
            }
        }
        throw new IllegalArgumentException(step.name());
    }

    private static String reasonOf(Message event) {
        return event instanceof Failure f ? f.reason() : event.getClass().getSimpleName();
    }
}
