package dev.cutover.orchestrator.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.contracts.Message;
import dev.cutover.contracts.Step;
import dev.cutover.contracts.migration.CompensationFailed;
import dev.cutover.contracts.migration.StepStarted;
import dev.cutover.contracts.provisioning.PromotionFailed;
import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.datasync.DataSyncCompensated;
import dev.cutover.contracts.datasync.AwaitCatchUp;
import dev.cutover.contracts.datasync.CatchUpFailed;
import dev.cutover.contracts.datasync.DataSyncFailed;
import dev.cutover.contracts.datasync.ReplicationCaughtUp;
import dev.cutover.contracts.datasync.PauseReplication;
import dev.cutover.contracts.datasync.ResumeReplication;
import dev.cutover.contracts.datasync.DataSynced;
import dev.cutover.contracts.datasync.FinalSyncCompensated;
import dev.cutover.contracts.datasync.UndoFinalSync;
import dev.cutover.contracts.datasync.SyncData;
import dev.cutover.contracts.datasync.TargetVerified;
import dev.cutover.contracts.datasync.UndoSyncData;
import dev.cutover.contracts.datasync.EndWayBack;
import dev.cutover.contracts.datasync.VerifyTarget;
import dev.cutover.contracts.preflight.CheckResult;
import dev.cutover.contracts.preflight.PreflightCompleted;
import dev.cutover.contracts.preflight.PreflightFailed;
import dev.cutover.contracts.preflight.RunPreflight;
import dev.cutover.contracts.provisioning.CompleteMigration;
import dev.cutover.contracts.provisioning.CompletionCompensated;
import dev.cutover.contracts.provisioning.ProvisionTarget;
import dev.cutover.contracts.provisioning.ProvisioningCompensated;
import dev.cutover.contracts.provisioning.ProvisioningFailed;
import dev.cutover.contracts.provisioning.TargetPromoted;
import dev.cutover.contracts.provisioning.TargetProvisioned;
import dev.cutover.contracts.provisioning.UndoCompleteMigration;
import dev.cutover.contracts.provisioning.UndoProvisionTarget;
import dev.cutover.contracts.traffic.HoldTraffic;
import dev.cutover.contracts.traffic.UndoHoldTraffic;
import dev.cutover.contracts.traffic.SwitchTraffic;
import dev.cutover.contracts.traffic.TrafficHeld;
import dev.cutover.contracts.traffic.TrafficHoldCompensated;
import dev.cutover.contracts.traffic.TrafficSwitchCompensated;
import dev.cutover.contracts.traffic.TrafficHoldFailed;
import dev.cutover.contracts.traffic.TrafficSwitchFailed;
import dev.cutover.contracts.traffic.TrafficSwitched;
import dev.cutover.contracts.traffic.UndoSwitchTraffic;
import dev.cutover.contracts.traffic.EndForwarding;
import dev.cutover.contracts.traffic.ForwardingEnded;
import dev.cutover.contracts.provisioning.RetireSource;
import dev.cutover.contracts.provisioning.SourceRetired;
import dev.cutover.contracts.datasync.WayBackEnded;
import dev.cutover.contracts.migration.CleanupFailed;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MigrationSagaTest {

    private static final UUID ID = UUID.randomUUID();
    private static final MigrationFacts.Move SNAPSHOT = new MigrationFacts.Move(ID, "shop", "acme", "eu-2", "shop-eu-2", Strategy.SNAPSHOT, false);
    private static final MigrationFacts.Gate BY_HAND = new MigrationFacts.Gate(false, null, null, 1000, null, false);
    private static final MigrationFacts.Gate BY_ITSELF = new MigrationFacts.Gate(true, null, null, 1000, null, false);
    private static final MigrationFacts.Tries FIRST_TRY = new MigrationFacts.Tries(0, 5);
    private static final MigrationFacts MANUAL_CONFIRM = new MigrationFacts(SNAPSHOT, BY_HAND, FIRST_TRY, false);
    private static final MigrationFacts AUTO_CONFIRM = new MigrationFacts(SNAPSHOT, BY_ITSELF, FIRST_TRY, false);

    private static final List<CheckResult> PASSED = List.of(new CheckResult("target-online", CheckResult.Severity.BLOCKER,
            CheckResult.Outcome.PASS, "server eu-2 is online"));

    /** The event each step's command is answered with when it succeeds. */
    private static final List<Message> SUCCESSES = List.of(
            new PreflightCompleted(ID, false, PASSED), new TargetProvisioned(ID, "shop-eu-2"),
            new DataSynced(ID, false, 3, 6000, 0, 500_000, 300), new TargetVerified(ID, List.of()),
            new PreflightCompleted(ID, true, PASSED), new ReplicationCaughtUp(ID, "caught up in 4 ms", Map.of()), new TrafficHeld(ID),
            new DataSynced(ID, true, 3, 6000, 0, 500_000, 100),
            new TrafficSwitched(ID, List.of("shop.example.com"), 120, 3, List.of()), new TargetPromoted(ID, "shop-eu-2"));

    @Test
    void theHappyPathSendsEveryStepsCommandInOrderAndWaitsForConfirmationBeforeTheFreeze() {
        List<Message> sent = new ArrayList<>();
        Decision d = MigrationSaga.start(MANUAL_CONFIRM);
        sent.addAll(d.commands());
        for (int i = 0; i < SUCCESSES.size(); i++) {
            if (d.position().state() == MigrationState.AWAITING_CONFIRMATION) {
                assertEquals(Step.RECHECK, d.position().step().step());
                d = MigrationSaga.confirm(d.position(), MANUAL_CONFIRM);
                sent.addAll(d.commands());
            }
            d = MigrationSaga.on(d.position(), MANUAL_CONFIRM, SUCCESSES.get(i));
            assertEquals(Decision.Kind.ADVANCE, d.kind(), "after " + SUCCESSES.get(i));
            sent.addAll(d.commands());
        }
        assertEquals(MigrationState.COMPLETED, d.position().state());
        assertEquals(List.of(RunPreflight.class, ProvisionTarget.class, SyncData.class, VerifyTarget.class, RunPreflight.class,
                AwaitCatchUp.class, HoldTraffic.class, SyncData.class, SwitchTraffic.class, CompleteMigration.class),
                sent.stream().map(Object::getClass).toList());
        assertTrue(((RunPreflight) sent.get(4)).recheck(), "the checks run again once the switch-over is confirmed");
        assertEquals(List.of("acme", "acme"), List.of(((RunPreflight) sent.get(0)).tenant(), ((RunPreflight) sent.get(4)).tenant()),
                "both checks hold the environment to the migration's tenant");
        assertTrue(((SyncData) sent.get(7)).finalSync(), "the second sync is the final one, inside the freeze");
    }

    @Test
    void verifiedMigrationWaitsForConfirmationUnlessAutoConfirmWasAsked() {
        SagaPosition verifying = running(Step.VERIFY);

        Decision waiting = MigrationSaga.on(verifying, MANUAL_CONFIRM, new TargetVerified(ID, List.of()));
        Decision proceeding = MigrationSaga.on(verifying, AUTO_CONFIRM, new TargetVerified(ID, List.of()));

        assertEquals(MigrationState.AWAITING_CONFIRMATION, waiting.position().state());
        assertTrue(waiting.commands().isEmpty());
        assertEquals(MigrationState.SWITCHING_OVER, proceeding.position().state());
        assertTrue(((RunPreflight) proceeding.commands().get(0)).recheck());
    }

    @Test
    void aMigrationWithASwitchOverWindowWaitsForItThenConfirmsItselfOrWaitsForAPersonOnceItPassed() {
        OffsetDateTime at = OffsetDateTime.parse("2026-12-24T22:00:00Z");
        MigrationFacts scheduled = new MigrationFacts(SNAPSHOT, new MigrationFacts.Gate(true, at, at.plusHours(1), 1000, null, false),
                FIRST_TRY, false);
        Decision waiting = MigrationSaga.on(running(Step.VERIFY), scheduled, new TargetVerified(ID, List.of()));
        assertEquals(MigrationState.AWAITING_CONFIRMATION, waiting.position().state(), "the window wins over auto-confirm");
        assertTrue(waiting.reason().contains("waiting for its switch-over window from 2026-12-24T22:00Z until 2026-12-24T23:00Z"),
                waiting.reason());

        assertEquals(Decision.Kind.IGNORE, MigrationSaga.windowOpened(waiting.position(), scheduled, at.minusSeconds(1)).kind());
        Decision inside = MigrationSaga.windowOpened(waiting.position(), scheduled, at.plusMinutes(5));
        assertEquals(List.of(RunPreflight.class), inside.commands().stream().map(Object::getClass).toList(), "the recheck still decides");
        Decision passed = MigrationSaga.windowOpened(waiting.position(), scheduled, at.plusHours(1));
        assertEquals(MigrationState.AWAITING_CONFIRMATION, passed.position().state());
        assertTrue(passed.commands().isEmpty() && passed.reason().contains("passed before it was ready"), passed.reason());
    }

    @Test
    void aLiveMigrationPausedBeforeItsSwitchOverResumesWhereItWaitedAndNothingElseIsPaused() {
        SagaPosition awaiting = at(MigrationState.AWAITING_CONFIRMATION, Step.RECHECK, null);
        Decision paused = MigrationSaga.pause(awaiting, live(null, false));
        assertEquals(MigrationState.PAUSED, paused.position().state());
        assertEquals(List.of(PauseReplication.class), paused.commands().stream().map(Object::getClass).toList());
        assertEquals(Decision.Kind.REFUSE, MigrationSaga.confirm(paused.position(), live(null, false)).kind(), "no switch-over while paused");
        assertEquals(Decision.Kind.IGNORE, MigrationSaga.timeout(paused.position(), live(null, false), "late").kind(), "nothing runs");
        Decision resumed = MigrationSaga.resume(paused.position(), live(null, false));
        assertEquals(MigrationState.AWAITING_CONFIRMATION, resumed.position().state());
        assertEquals(List.of(ResumeReplication.class), resumed.commands().stream().map(Object::getClass).toList());
        Decision catchingUp = MigrationSaga.resume(MigrationSaga.pause(at(MigrationState.WAITING_FOR_CATCH_UP, Step.FREEZE, null),
                live(3000L, false)).position(), live(3000L, false));
        assertEquals(MigrationState.WAITING_FOR_CATCH_UP, catchingUp.position().state());
        assertEquals(Decision.Kind.REFUSE, MigrationSaga.pause(awaiting, MANUAL_CONFIRM).kind(), "a snapshot replicates nothing while it waits");
        assertEquals(Decision.Kind.REFUSE, MigrationSaga.pause(running(Step.SYNC), live(null, false)).kind());
        Decision aborted = MigrationSaga.abort(paused.position(), live(null, false));
        assertEquals(List.of(UndoSyncData.class), aborted.commands().stream().map(Object::getClass).toList(), "a paused one aborts");
    }

    private static MigrationFacts live(Long predictedFreezeMillis, boolean forced) {
        return new MigrationFacts(new MigrationFacts.Move(ID, "shop", "acme", "eu-2", "shop-eu-2", Strategy.LIVE, false),
                new MigrationFacts.Gate(false, null, null, 1000, predictedFreezeMillis, forced), FIRST_TRY, false);
    }

    private static final SagaPosition RECHECKING = running(Step.RECHECK);
    private static final PreflightCompleted RECHECKED = new PreflightCompleted(ID, true, PASSED);

    @Test
    void aLiveMigrationWhosePredictedFreezeIsOverItsBudgetWaitsForCatchUpInsteadOfFreezing() {
        Decision d = MigrationSaga.on(RECHECKING, live(3200L, false), RECHECKED);

        assertEquals(MigrationState.WAITING_FOR_CATCH_UP, d.position().state());
        assertEquals(Step.CATCH_UP, d.position().step().step());
        assertTrue(d.commands().isEmpty(), "no freeze yet: " + d.commands());
        assertTrue(d.reason().contains("predicted freeze 3200 ms is over the budget of 1000 ms"), d.reason());
    }

    @Test
    void anUnmeasuredLagAlsoWaitsSinceThereIsNothingToPredictTheFreezeFrom() {
        Decision d = MigrationSaga.on(RECHECKING, live(null, false), RECHECKED);

        assertEquals(MigrationState.WAITING_FOR_CATCH_UP, d.position().state());
        assertTrue(d.reason().contains("first measurement"), d.reason());
    }

    @Test
    void theFreezeStartsOnceAPredictionFitsTheBudget() {
        SagaPosition waiting = MigrationSaga.on(RECHECKING, live(3200L, false), RECHECKED).position();

        assertEquals(Decision.Kind.IGNORE, MigrationSaga.reconsider(waiting, live(1500L, false)).kind());
        Decision d = MigrationSaga.reconsider(waiting, live(400L, false));

        assertEquals(MigrationState.SWITCHING_OVER, d.position().state());
        assertEquals(List.of(new AwaitCatchUp(ID, "shop", "shop-eu-2", true)), d.commands(), "caught up now, then the freeze");
        assertTrue(d.reason().contains("predicted freeze 400 ms is within the budget of 1000 ms"), d.reason());
    }

    @Test
    void theUserCanForceTheFreezePastTheBudgetButOnlyWhileWaitingForCatchUp() {
        SagaPosition waiting = MigrationSaga.on(RECHECKING, live(3200L, false), RECHECKED).position();

        Decision forced = MigrationSaga.force(waiting, live(3200L, true));
        Decision refused = MigrationSaga.force(at(MigrationState.AWAITING_CONFIRMATION, Step.RECHECK, null), live(3200L, true));

        assertEquals(List.of(new AwaitCatchUp(ID, "shop", "shop-eu-2", true)), forced.commands());
        assertEquals("switch-over forced by the user", forced.reason());
        assertEquals(Decision.Kind.REFUSE, refused.kind());
    }

    @Test
    void abortingWhileWaitingForCatchUpCompensatesTheSyncAndNotTheFreezeThatNeverStarted() {
        SagaPosition waiting = MigrationSaga.on(RECHECKING, live(3200L, false), RECHECKED).position();

        Decision d = MigrationSaga.abort(waiting, live(3200L, false));

        assertEquals(List.of(new UndoSyncData(ID, "shop", "shop-eu-2")), d.commands());
    }

    @Test
    void aSnapshotMigrationHasNoBudgetToWaitFor() {
        Decision d = MigrationSaga.on(RECHECKING, MANUAL_CONFIRM, RECHECKED);

        assertEquals(List.of(new AwaitCatchUp(ID, "shop", "shop-eu-2", true)), d.commands());
    }

    @Test
    void theFreezeStartsOnceTheReplicationIsCaughtUpNowAndALagThatCannotBeReadFailsTheMigrationBeforeAnyFreeze() {
        Decision freeze = MigrationSaga.on(running(Step.CATCH_UP), live(400L, false),
                new ReplicationCaughtUp(ID, "caught up in 12 ms: main 2048 bytes behind", Map.of("behindBytes", 2048L)));
        Decision failed = MigrationSaga.on(running(Step.CATCH_UP), live(400L, false), new CatchUpFailed(ID, "slot is missing"));

        assertEquals(List.of(new HoldTraffic(ID, "shop", "shop-eu-2")), freeze.commands());
        assertEquals(MigrationState.ABORTING, failed.position().state());
        assertEquals(List.of(new UndoSyncData(ID, "shop", "shop-eu-2")), failed.commands(), "nothing was held or fenced yet");
        assertTrue(failed.reason().contains("catch-up failed: slot is missing"), failed.reason());
    }

    @Test
    void confirmationIsRefusedInAnyOtherState() {
        for (MigrationState state : MigrationState.values()) {
            if (state == MigrationState.AWAITING_CONFIRMATION) {
                continue;
            }
            Decision d = MigrationSaga.confirm(at(state, Step.SYNC, null), MANUAL_CONFIRM);
            assertEquals(Decision.Kind.REFUSE, d.kind(), state.label());
            assertTrue(d.reason().contains("not awaiting confirmation"), d.reason());
        }
    }

    @Test
    void aFailedPreflightEndsInPreflightFailedWithNothingToUndo() {
        Decision d = MigrationSaga.on(running(Step.PREFLIGHT), MANUAL_CONFIRM,
                new PreflightFailed(ID, false, List.of(), "server eu-2 is offline"));

        assertEquals(MigrationState.PREFLIGHT_FAILED, d.position().state());
        assertTrue(d.commands().isEmpty());
        assertTrue(d.reason().contains("server eu-2 is offline"), d.reason());
    }

    @Test
    void aFailedStepIsCompensatedItselfThenEveryEarlierStepNewestFirst() {
        Decision d = MigrationSaga.on(running(Step.SYNC), MANUAL_CONFIRM,
                new DataSyncFailed(ID, "disk full"));
        assertEquals(MigrationState.ABORTING, d.position().state());
        assertInstanceOf(UndoSyncData.class, d.commands().get(0));

        d = MigrationSaga.on(d.position(), MANUAL_CONFIRM, new DataSyncCompensated(ID));
        assertInstanceOf(UndoProvisionTarget.class, d.commands().get(0));

        d = MigrationSaga.on(d.position(), MANUAL_CONFIRM, new ProvisioningCompensated(ID));
        assertEquals(MigrationState.FAILED, d.position().state());
        assertTrue(d.commands().isEmpty());
    }

    @Test
    void abortAtEachStepBeforeTheSwitchOverUndoesWhatWasDoneAndEndsAborted() {
        record Case(SagaPosition at, List<Class<?>> compensations) {
        }
        List<Case> cases = List.of(
                new Case(running(Step.PREFLIGHT), List.of()),
                new Case(running(Step.PREPARE), List.of(UndoProvisionTarget.class)),
                new Case(running(Step.SYNC), List.of(UndoSyncData.class, UndoProvisionTarget.class)),
                new Case(running(Step.VERIFY), List.of(UndoSyncData.class, UndoProvisionTarget.class)),
                new Case(at(MigrationState.AWAITING_CONFIRMATION, Step.RECHECK, null),
                        List.of(UndoSyncData.class, UndoProvisionTarget.class)),
                new Case(running(Step.RECHECK), List.of(UndoSyncData.class, UndoProvisionTarget.class)),
                new Case(running(Step.FREEZE),
                        List.of(UndoHoldTraffic.class, UndoSyncData.class, UndoProvisionTarget.class)),
                new Case(running(Step.FINAL_SYNC),
                        List.of(UndoFinalSync.class, UndoHoldTraffic.class, UndoSyncData.class, UndoProvisionTarget.class)));
        for (Case c : cases) {
            List<Class<?>> sent = new ArrayList<>();
            Decision d = MigrationSaga.abort(c.at(), MANUAL_CONFIRM);
            while (!d.commands().isEmpty()) {
                Message undo = d.commands().get(0);
                sent.add(undo.getClass());
                d = MigrationSaga.on(d.position(), MANUAL_CONFIRM, compensatedEventFor(undo));
            }
            assertEquals(c.compensations(), sent, "abort at " + c.at());
            assertEquals(MigrationState.ABORTED, d.position().state(), "abort at " + c.at());
        }
    }

    @Test
    void abortIsRefusedOnceTrafficReachesTheTargetAndWhenAlreadyOver() {
        assertEquals(Decision.Kind.REFUSE, MigrationSaga.abort(running(Step.SWITCH_OVER), MANUAL_CONFIRM).kind());
        assertEquals(Decision.Kind.REFUSE, MigrationSaga.abort(at(MigrationState.COMPLETED, Step.COMPLETE, null), MANUAL_CONFIRM).kind());
        assertEquals(Decision.Kind.REFUSE, MigrationSaga.abort(at(MigrationState.ABORTING, Step.PREPARE, MigrationState.ABORTED), MANUAL_CONFIRM).kind());
    }

    @Test
    void aFailedSwitchOverPutsTrafficBackThenUndoesTheRest() {
        Decision d = MigrationSaga.on(running(Step.SWITCH_OVER), MANUAL_CONFIRM,
                new TrafficSwitchFailed(ID, "target does not run"));
        List<Class<?>> sent = new ArrayList<>();
        while (!d.commands().isEmpty()) {
            sent.add(d.commands().get(0).getClass());
            d = MigrationSaga.on(d.position(), MANUAL_CONFIRM, compensatedEventFor(d.commands().get(0)));
        }
        // The source's write fence is lifted before its held requests are let in.
        assertEquals(List.of(UndoSwitchTraffic.class, UndoFinalSync.class, UndoHoldTraffic.class, UndoSyncData.class, UndoProvisionTarget.class),
                sent);
        assertEquals(MigrationState.FAILED, d.position().state());
    }

    @Test
    void aFreezeTheRouterCannotBeginFailsTheMigrationSayingWhyAndUndoesEveryStepBefore() {
        Decision d = MigrationSaga.on(running(Step.FREEZE), MANUAL_CONFIRM,
                new TrafficHoldFailed(ID, "router command 'hold shop' failed (exit 1): haproxy socket refused"));
        assertEquals("freeze failed: router command 'hold shop' failed (exit 1): haproxy socket refused", d.reason());
        List<Class<?>> sent = new ArrayList<>();
        while (!d.commands().isEmpty()) {
            sent.add(d.commands().get(0).getClass());
            d = MigrationSaga.on(d.position(), MANUAL_CONFIRM, compensatedEventFor(d.commands().get(0)));
        }
        assertEquals(List.of(UndoHoldTraffic.class, UndoSyncData.class, UndoProvisionTarget.class), sent);
        assertEquals(MigrationState.FAILED, d.position().state());
    }

    @Test
    void eventsThatDoNotFitTheRunningStepChangeNothing() {
        SagaPosition syncing = running(Step.SYNC);
        assertEquals(Decision.Kind.IGNORE, MigrationSaga.on(syncing, MANUAL_CONFIRM, new TargetProvisioned(ID, "shop-eu-2")).kind());
        assertEquals(Decision.Kind.IGNORE, MigrationSaga.on(syncing, MANUAL_CONFIRM, new DataSynced(ID, true, 1, 1, 0, 1, 1)).kind(),
                "a final sync's result does not complete the first sync");
        SagaPosition done = at(MigrationState.COMPLETED, Step.COMPLETE, null);
        assertEquals(Decision.Kind.IGNORE, MigrationSaga.on(done, MANUAL_CONFIRM, new TargetPromoted(ID, "shop-eu-2")).kind());
        SagaPosition compensating = at(MigrationState.ABORTING, Step.SYNC, MigrationState.ABORTED);
        assertEquals(Decision.Kind.IGNORE, MigrationSaga.on(compensating, MANUAL_CONFIRM, new DataSynced(ID, false, 1, 1, 0, 1, 1)).kind(),
                "a late completion while compensating is ignored");
    }

    @Test
    void aStepPastItsTimeoutFailsTheMigrationAndIsCompensated() {
        Decision d = MigrationSaga.timeout(running(Step.PREPARE), MANUAL_CONFIRM, "prepare timed out after 600 s");
        assertEquals(MigrationState.ABORTING, d.position().state());
        assertEquals(MigrationState.FAILED, d.position().outcomeAfterCompensation());
        assertInstanceOf(UndoProvisionTarget.class, d.commands().get(0));
        assertEquals(Decision.Kind.IGNORE,
                MigrationSaga.timeout(at(MigrationState.AWAITING_CONFIRMATION, Step.RECHECK, null), MANUAL_CONFIRM, "x").kind(),
                "waiting for a human is not a step");
    }

    @Test
    void aCompensationPastItsTimeoutIsTriedAgainThenNeedsAttention() {
        SagaPosition undoing = at(MigrationState.ABORTING, Step.PREPARE, MigrationState.ABORTED);
        assertEquals(Decision.Kind.RETRY, MigrationSaga.timeout(undoing, MANUAL_CONFIRM, "timed out").kind());
        Decision d = MigrationSaga.timeout(undoing, triedAlready(4), "timed out");
        assertEquals(MigrationState.NEEDS_ATTENTION, d.position().state());
        assertTrue(d.reason().contains("compensation of prepare failed 5 times: timed out; needs attention"), d.reason());
    }

    @Test
    void everyStepWithAnUndoHasTheEventThatConfirmsIt() {
        for (SagaStep step : MigrationSaga.STEPS) {
            assertEquals(step.compensation() != null, step.compensatedBy() != null, step.step().name());
        }
    }

    private static Message compensatedEventFor(Message undo) {
        if (undo instanceof UndoProvisionTarget) {
            return new ProvisioningCompensated(ID);
        }
        if (undo instanceof UndoSyncData) {
            return new DataSyncCompensated(ID);
        }
        if (undo instanceof UndoHoldTraffic) {
            return new TrafficHoldCompensated(ID);
        }
        if (undo instanceof UndoFinalSync) {
            return new FinalSyncCompensated(ID);
        }
        if (undo instanceof UndoSwitchTraffic) {
            return new TrafficSwitchCompensated(ID, 0, 0);
        }
        throw new IllegalArgumentException(undo.toString());
    }

    @Test
    void aBlockerFoundByTheRecheckAbortsTheSwitchOverBeforeTheFreeze() {
        Decision d = MigrationSaga.on(running(Step.RECHECK), MANUAL_CONFIRM,
                new PreflightFailed(ID, true, List.of(), "shop has 1 pending schema migration"));
        List<Class<?>> sent = new ArrayList<>();
        while (!d.commands().isEmpty()) {
            sent.add(d.commands().get(0).getClass());
            d = MigrationSaga.on(d.position(), MANUAL_CONFIRM, compensatedEventFor(d.commands().get(0)));
        }
        assertEquals(List.of(UndoSyncData.class, UndoProvisionTarget.class), sent, "no freeze happened, nothing to release");
        assertEquals(MigrationState.FAILED, d.position().state());
        assertTrue(d.reason() != null);
    }

    @Test
    void aFirstPreflightResultDoesNotCompleteTheRecheck() {
        assertEquals(Decision.Kind.IGNORE, MigrationSaga.on(running(Step.RECHECK), MANUAL_CONFIRM,
                new PreflightCompleted(ID, false, PASSED)).kind());
    }

    @Test
    void rollbackHoldsTheTargetSyncsItBackRestoresRoutesAndTheSourceThenRemovesTheTarget() {
        Decision d = MigrationSaga.rollback(at(MigrationState.COMPLETED, Step.COMPLETE, null), MANUAL_CONFIRM);
        List<Message> sent = new ArrayList<>(d.commands());
        for (Message done : List.of(new ReplicationCaughtUp(ID, "caught up in 3 ms", Map.of()), new TrafficHeld(ID),
                new DataSynced(ID, true, 3, 6100, 0, 1, 1), new TrafficSwitchCompensated(ID, 0, 0),
                new CompletionCompensated(ID), new DataSyncCompensated(ID), new ProvisioningCompensated(ID))) {
            assertEquals(MigrationState.ROLLING_BACK, d.position().state());
            d = MigrationSaga.on(d.position(), MANUAL_CONFIRM, done);
            sent.addAll(d.commands());
        }
        assertEquals(MigrationState.ROLLED_BACK, d.position().state());
        assertEquals(List.of(AwaitCatchUp.class, HoldTraffic.class, SyncData.class, UndoSwitchTraffic.class, UndoCompleteMigration.class,
                UndoSyncData.class, UndoProvisionTarget.class), sent.stream().map(Object::getClass).toList());
        assertEquals("shop-eu-2", ((AwaitCatchUp) sent.get(0)).environment(), "the way back, from the target, is caught up first");
        assertEquals("shop-eu-2", ((HoldTraffic) sent.get(1)).environment(), "the target's requests are held");
        SyncData back = (SyncData) sent.get(2);
        assertEquals("shop-eu-2", back.environment(), "data flows from the target...");
        assertEquals("shop", back.targetEnvironment(), "...back to the source");
        assertFalse(back.wayBack(), "a rollback of a rollback is a new migration");
        assertEquals("shop-eu-2", ((UndoProvisionTarget) sent.get(6)).targetName(), "the target's name is free again");
    }

    @Test
    void aRollbackWhoseWayBackCannotBeReadLeavesTheMigrationCompletedAsItWas() {
        Decision started = MigrationSaga.rollback(at(MigrationState.COMPLETED, Step.COMPLETE, null), MANUAL_CONFIRM);

        Decision d = MigrationSaga.on(started.position(), MANUAL_CONFIRM, new CatchUpFailed(ID, "the target's server does not answer"));

        assertEquals(MigrationState.COMPLETED, d.position().state());
        assertEquals(List.of(), d.commands(), "nothing to release or lift: nothing was held or fenced");
        assertTrue(d.reason().contains("the target's server does not answer") && d.reason().contains("rolled back again"), d.reason());
        assertEquals(Decision.Kind.ADVANCE, MigrationSaga.rollback(d.position(), MANUAL_CONFIRM).kind(), "and it can try again");
    }

    @Test
    void aCleanupThatFailsAfterTrafficIsBackLeavesTheMigrationRolledBackAndTheTargetFenced() {
        Decision d = MigrationSaga.on(rollingBack(Step.PREPARE), MANUAL_CONFIRM,
                new CompensationFailed(ID, Step.PREPARE, "server eu-2 does not answer"));
        assertEquals(MigrationState.ROLLED_BACK, d.position().state());
        assertEquals(List.of(), d.commands(), "no fence is lifted on the target: nobody reads it any more");
        assertTrue(d.reason().contains("server eu-2 does not answer") && d.reason().contains("shop-eu-2"), d.reason());
    }

    @Test
    void theEndOfTheRollbackWindowRemovesTheWayBackAndKeepsTheSourceUntilFinalize() {
        SagaPosition completed = at(MigrationState.COMPLETED, Step.COMPLETE, null);
        Decision d = MigrationSaga.endRollbackWindow(completed, AUTO_CONFIRM, "the rollback window ended");
        assertEquals(MigrationState.COMPLETED, d.position().state(), "still completed: the source is kept until finalize");
        assertEquals(List.of(EndWayBack.class), d.commands().stream().map(Object::getClass).toList());
        Decision rollback = MigrationSaga.rollback(completed, windowOver());
        assertEquals(Decision.Kind.REFUSE, rollback.kind());
        assertTrue(rollback.reason().contains("rollback window of this migration is over"), rollback.reason());
    }

    @Test
    void finalizeEndsTheWayBackThenTheForwardingThenRemovesTheSourceInOrder() {
        Decision d = MigrationSaga.finalize(at(MigrationState.COMPLETED, Step.COMPLETE, null), AUTO_CONFIRM, "finalized by api");
        List<Message> sent = new ArrayList<>(d.commands());
        for (Message reply : List.of(new WayBackEnded(ID, true, "removed"), new ForwardingEnded(ID, List.of("shop.apps.localhost")),
                new SourceRetired(ID, "shop"))) {
            assertEquals(MigrationState.FINALIZING, d.position().state());
            assertEquals(Decision.Kind.REFUSE, MigrationSaga.rollback(d.position(), AUTO_CONFIRM).kind(), "no rollback while finalizing");
            assertEquals(Decision.Kind.REFUSE, MigrationSaga.abort(d.position(), AUTO_CONFIRM).kind(), "nothing to abort while finalizing");
            d = MigrationSaga.on(d.position(), AUTO_CONFIRM, reply);
            sent.addAll(d.commands());
        }
        assertEquals(MigrationState.FINALIZED, d.position().state());
        assertEquals(List.of(EndWayBack.class, EndForwarding.class, RetireSource.class), sent.stream().map(Object::getClass).toList());
        assertEquals("shop", ((RetireSource) sent.get(2)).environment(), "the source is removed, not the target");
        Decision rollback = MigrationSaga.rollback(d.position(), AUTO_CONFIRM);
        assertTrue(rollback.kind() == Decision.Kind.REFUSE && rollback.reason().contains("can no longer be rolled back"), rollback.reason());
        assertEquals(Decision.Kind.REFUSE, MigrationSaga.finalize(running(Step.SYNC), AUTO_CONFIRM, "finalized").kind(),
                "only a completed migration");
    }

    @Test
    void aFailingCleanupIsTriedAgainThenWaitsForTheUsersFinalizeWhichResumesIt() {
        SagaPosition removingSource = new SagaPosition(MigrationState.FINALIZING, indexOf(MigrationSaga.FINALIZE, Step.PREPARE), null);
        CleanupFailed refused = new CleanupFailed(ID, Step.PREPARE, "server eu-1 does not answer");

        assertEquals(Decision.Kind.RETRY, MigrationSaga.on(removingSource, triedAlready(0), refused).kind());
        assertEquals(List.of(RetireSource.class), MigrationSaga.retry(removingSource, triedAlready(1)).commands().stream()
                .map(Object::getClass).toList());
        Decision givenUp = MigrationSaga.on(removingSource, triedAlready(4), refused);
        assertEquals(MigrationState.FINALIZING, givenUp.position().state());
        assertTrue(givenUp.commands().isEmpty());
        assertTrue(givenUp.reason().contains("server eu-1 does not answer") && givenUp.reason().contains("cutover finalize"), givenUp.reason());
        assertEquals(List.of(RetireSource.class), MigrationSaga.finalize(removingSource, triedAlready(0), "finalized by api").commands()
                .stream().map(Object::getClass).toList());
    }

    private static MigrationFacts windowOver() {
        return new MigrationFacts(SNAPSHOT, BY_ITSELF, FIRST_TRY, true);
    }

    @Test
    void theFinalSyncStartsTheWayBackUnlessTheMoveIsOneWay() {
        MigrationFacts oneWay = new MigrationFacts(new MigrationFacts.Move(ID, "shop", "acme", "eu-2", "shop-eu-2", Strategy.SNAPSHOT, true),
                BY_ITSELF, FIRST_TRY, false);
        SyncData twoWay = (SyncData) MigrationSaga.on(running(Step.FREEZE), AUTO_CONFIRM, new TrafficHeld(ID)).commands().get(0);
        SyncData withoutWayBack = (SyncData) MigrationSaga.on(running(Step.FREEZE), oneWay, new TrafficHeld(ID)).commands().get(0);
        assertTrue(twoWay.finalSync() && twoWay.wayBack());
        assertTrue(withoutWayBack.finalSync() && !withoutWayBack.wayBack());
        RunPreflight recheck = (RunPreflight) MigrationSaga.confirm(at(MigrationState.AWAITING_CONFIRMATION, Step.RECHECK, null), oneWay)
                .commands().get(0);
        assertTrue(recheck.recheck() && recheck.oneWay(), "the recheck does not require the way back of a one-way move");
    }

    @Test
    void onlyACompletedMigrationRollsBackAndAFailedCopyBackReleasesTheHeldRequests() {
        assertEquals(Decision.Kind.REFUSE, MigrationSaga.rollback(running(Step.SYNC), MANUAL_CONFIRM).kind());
        assertEquals(Decision.Kind.REFUSE, MigrationSaga.rollback(at(MigrationState.ROLLED_BACK, Step.COMPLETE, null), MANUAL_CONFIRM).kind());
        Decision d = MigrationSaga.on(rollingBack(Step.FINAL_SYNC), MANUAL_CONFIRM, new DataSyncFailed(ID, "disk full"));
        assertEquals(MigrationState.FAILED, d.position().state());
        assertEquals(List.of(UndoFinalSync.class, UndoHoldTraffic.class), d.commands().stream().map(Object::getClass).toList(),
                "the target, which keeps the traffic, takes writes again");
        assertEquals("shop-eu-2", ((UndoFinalSync) d.commands().get(0)).environment());
    }

    @Test
    void provisioningFailureCompensatesThePartialTarget() {
        Decision d = MigrationSaga.on(running(Step.PREPARE), MANUAL_CONFIRM,
                new ProvisioningFailed(ID, "server eu-2 has no room"));
        assertInstanceOf(UndoProvisionTarget.class, d.commands().get(0));
    }

    /** A migration whose failing action was tried {@code attempts} times already (of 5). */
    private static MigrationFacts triedAlready(int attempts) {
        return new MigrationFacts(SNAPSHOT, BY_HAND, new MigrationFacts.Tries(attempts, 5), false);
    }

    /** The saga at {@code step} of the forward table, showing {@code state}, with the outcome a compensation ends in. */
    private static SagaPosition at(MigrationState state, Step step, MigrationState outcome) {
        return new SagaPosition(state, indexOf(MigrationSaga.STEPS, step), outcome);
    }

    /** The saga at {@code step} of the rollback table. */
    private static SagaPosition rollingBack(Step step) {
        return new SagaPosition(MigrationState.ROLLING_BACK, indexOf(MigrationSaga.ROLLBACK, step), null);
    }

    /** Where the saga stands while {@code step} of the forward table runs. */
    private static SagaPosition running(Step step) {
        return at(MigrationSaga.STEPS.get(indexOf(MigrationSaga.STEPS, step)).state(), step, null);
    }

    private static int indexOf(List<SagaStep> table, Step step) {
        for (int i = 0; i < table.size(); i++) {
            if (table.get(i).step() == step) {
                return i;
            }
        }
        throw new IllegalArgumentException(step.name());
    }

    @Test
    void aCompensationThatFailsIsRetriedWithBackOffThenNeedsAttentionWithWhatToDo() {
        Decision undoing = MigrationSaga.abort(running(Step.SYNC), MANUAL_CONFIRM);
        assertEquals(List.of(new UndoSyncData(ID, "shop", "shop-eu-2")), undoing.commands());
        CompensationFailed refused = new CompensationFailed(ID, Step.SYNC, "undoing the data sync failed: database error 08001: connection refused");

        Decision first = MigrationSaga.on(undoing.position(), MANUAL_CONFIRM, refused);
        assertEquals(Decision.Kind.RETRY, first.kind());
        assertEquals(undoing.position(), first.position(), "tried again from where it stands");
        assertEquals("compensation of sync failed (attempt 1 of 5): undoing the data sync failed: database error 08001: connection refused",
                first.reason());
        assertEquals(List.of(new UndoSyncData(ID, "shop", "shop-eu-2")), MigrationSaga.retry(undoing.position(), triedAlready(1)).commands());

        Decision last = MigrationSaga.on(undoing.position(), triedAlready(4), refused);
        assertEquals(MigrationState.NEEDS_ATTENTION, last.position().state());
        assertTrue(last.commands().isEmpty(), "nothing more is undone on its own: " + last.commands());
        assertTrue(last.reason().endsWith("connection refused; needs attention: cutover repair " + ID + " tries it again, cutover abort "
                + ID + " --force gives it up"), last.reason());

        Decision repaired = MigrationSaga.repair(last.position(), triedAlready(5));
        assertEquals(MigrationState.ABORTING, repaired.position().state());
        assertEquals(List.of(new UndoSyncData(ID, "shop", "shop-eu-2")), repaired.commands());
        assertEquals(Decision.Kind.REFUSE, MigrationSaga.abort(last.position(), MANUAL_CONFIRM).kind(), "abort again needs --force");

        Decision forced = MigrationSaga.abortByForce(last.position(), MANUAL_CONFIRM);
        assertEquals(MigrationState.ABORTED, forced.position().state());
        assertEquals("aborted by force: not compensated, for an operator to clean up: sync, prepare", forced.reason());
        assertEquals(Decision.Kind.REFUSE, MigrationSaga.repair(running(Step.SYNC), MANUAL_CONFIRM).kind());
    }

    @Test
    void anotherStepsCompensationFailureIsNotTheAwaitedAnswer() {
        Decision undoing = MigrationSaga.abort(running(Step.SYNC), MANUAL_CONFIRM);

        Decision d = MigrationSaga.on(undoing.position(), MANUAL_CONFIRM, new CompensationFailed(ID, Step.PREPARE, "late"));

        assertEquals(Decision.Kind.IGNORE, d.kind());
    }

    @Test
    void aPromotionThatFailsLeavesTrafficOnTheTargetAndUndoesNothing() {
        Decision d = MigrationSaga.on(running(Step.COMPLETE), MANUAL_CONFIRM, new PromotionFailed(ID, "promoting shop-eu-2 failed: 503"));

        assertEquals(Decision.Kind.RETRY, d.kind(), "undoing the switch-over would lose what the target took since");
        assertInstanceOf(CompleteMigration.class, MigrationSaga.retry(running(Step.COMPLETE), triedAlready(1)).commands().get(0));

        Decision late = MigrationSaga.timeout(running(Step.COMPLETE), triedAlready(4), "complete timed out after 600 s");
        assertTrue(late.commands().isEmpty(), late.commands().toString());
        assertEquals(MigrationState.NEEDS_ATTENTION, late.position().state());
        assertTrue(late.reason().startsWith("complete failed 5 times: complete timed out after 600 s; needs attention"), late.reason());
        assertEquals(Decision.Kind.REFUSE, MigrationSaga.abortByForce(late.position(), MANUAL_CONFIRM).kind(), "traffic reaches the target");
        assertInstanceOf(CompleteMigration.class, MigrationSaga.repair(late.position(), triedAlready(5)).commands().get(0));
    }

    @Test
    void aRollbackStepThatCannotBeDoneLetsTheTargetTakeWritesAgainAndReleasesItsRequests() {
        SagaPosition pointingBack = rollingBack(Step.SWITCH_OVER);

        Decision d = MigrationSaga.on(pointingBack, MANUAL_CONFIRM,
                new CompensationFailed(ID, Step.SWITCH_OVER, "pointing the routes of shop back failed: haproxy refused"));

        assertEquals(MigrationState.FAILED, d.position().state());
        assertEquals(List.of(new UndoFinalSync(ID, "shop-eu-2"), new UndoHoldTraffic(ID, "shop-eu-2")), d.commands());
        assertTrue(d.reason().contains("haproxy refused"), d.reason());
    }

    @Test
    void anEventSaysWhichStepItAnswersAndHow() {
        assertEquals(Optional.of(new StepOutcome(Step.SYNC, StepOutcome.Kind.COMPLETED)),
                MigrationSaga.outcomeOf(new DataSynced(ID, false, 3, 6000, 0, 500_000, 300)));
        assertEquals(Optional.of(new StepOutcome(Step.FINAL_SYNC, StepOutcome.Kind.COMPLETED)),
                MigrationSaga.outcomeOf(new DataSynced(ID, true, 3, 6000, 0, 500_000, 100)));
        assertEquals(Optional.of(new StepOutcome(Step.FREEZE, StepOutcome.Kind.COMPENSATED)),
                MigrationSaga.outcomeOf(new TrafficHoldCompensated(ID)));
        assertEquals(Optional.of(new StepOutcome(Step.COMPLETE, StepOutcome.Kind.FAILED)),
                MigrationSaga.outcomeOf(new PromotionFailed(ID, "503")));
        assertEquals(Optional.of(new StepOutcome(Step.PREPARE, StepOutcome.Kind.FAILED)),
                MigrationSaga.outcomeOf(new CompensationFailed(ID, Step.PREPARE, "destroy refused")));
        assertEquals(Optional.empty(), MigrationSaga.outcomeOf(new StepStarted(ID, Step.SYNC)));
        DataSyncFailed failed = new DataSyncFailed(ID, "tables differ");
        assertEquals(Optional.of(new StepOutcome(Step.FINAL_SYNC, StepOutcome.Kind.FAILED)),
                MigrationSaga.on(running(Step.FINAL_SYNC), MANUAL_CONFIRM, failed).answered(), "the running step's failure, though sync knows it too");
        assertEquals(Optional.of(new StepOutcome(Step.SYNC, StepOutcome.Kind.FAILED)),
                MigrationSaga.on(running(Step.SYNC), MANUAL_CONFIRM, failed).answered());
        Decision late = MigrationSaga.on(running(Step.VERIFY), MANUAL_CONFIRM, new DataSynced(ID, false, 3, 6000, 0, 500_000, 300));
        assertEquals(Decision.Kind.IGNORE, late.kind());
        assertEquals(Optional.of(new StepOutcome(Step.SYNC, StepOutcome.Kind.COMPLETED)), late.answered(),
                "a late reply changes nothing, and still says what it answers");
    }
}
