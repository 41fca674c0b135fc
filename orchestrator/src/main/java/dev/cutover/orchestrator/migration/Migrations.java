package dev.cutover.orchestrator.migration;

import dev.cutover.contracts.MalformedMessageException;
import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.datasync.ReplicationToggled;
import dev.cutover.contracts.datasync.SwitchPointVerified;
import dev.cutover.contracts.datasync.WalRetentionExceeded;
import dev.cutover.contracts.datasync.WayBackEnded;
import dev.cutover.contracts.migration.MigrationWarned;
import dev.cutover.contracts.migration.StepProgressed;
import dev.cutover.contracts.migration.StepStarted;
import dev.cutover.contracts.preflight.PreflightCompleted;
import dev.cutover.contracts.preflight.PreflightFailed;
import dev.cutover.kit.inbox.Deliveries;
import dev.cutover.kit.outbox.Outbox;
import dev.cutover.kit.problem.Problem;
import dev.cutover.kit.log.LogContext;
import dev.cutover.kit.trace.TraceContext;
import dev.cutover.platform.Environment;
import dev.cutover.platform.Platform;
import dev.cutover.orchestrator.notify.Notifications;
import dev.cutover.orchestrator.plan.Plan;
import dev.cutover.orchestrator.plan.Plans;
import dev.cutover.orchestrator.saga.Decision;
import dev.cutover.orchestrator.saga.MigrationSaga;
import dev.cutover.orchestrator.saga.MigrationState;
import dev.cutover.orchestrator.tenant.Caller;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The migrations: created, acted on (confirm, force, abort, pause, resume, repair, rollback, finalize) and told of
 * their steps' events; each change is the saga's decision, applied by {@link Decisions} in the same transaction as
 * its history, step records and messages (the outbox publishes them after the commit).
 */
@ApplicationScoped
public class Migrations {

    private static final Logger LOG = Logger.getLogger(Migrations.class);
    @Inject
    Deliveries deliveries;

    @Inject
    Outbox outbox;

    @Inject
    Plans plans;

    @Inject
    Decisions decisions;

    @Inject
    StepRecords steps;

    @Inject
    Notifications notifications;

    @Inject
    Platform platform;

    @Inject
    MigrationSettings settings;

    /** The migration and whether this request created it (false: the same idempotency key was seen before). */
    public record Created(Migration migration, boolean created) {
    }

    /**
     * Creates a migration for {@code caller}. It is the environment owner's when the caller may see that environment;
     * otherwise it is the caller's own, and preflight, held to that tenant, finds no such environment: another tenant's
     * environment and a missing one look the same.
     */
    @Transactional
    public Created create(MigrationRequest request, String idempotencyKey, Caller caller) {
        if (request == null) {
            throw new Problem(422, "a migration needs an environment and a targetServer");
        }
        request.check("a migration");
        if (request.freezeBudgetMillis() != null && request.freezeBudgetMillis() < 1) {
            throw new Problem(422, "freezeBudgetMillis must be at least 1");
        }
        if (idempotencyKey != null) {
            Optional<Migration> seen = Migration.find("idempotencyKey", idempotencyKey).firstResultOptional();
            if (seen.isPresent() && !caller.sees(seen.get().tenant)) {
                throw new Problem(422, "this Idempotency-Key is taken: send a fresh one");
            }
            if (seen.isPresent()) {
                return new Created(seen.get(), false);
            }
        }
        Optional<Migration> running = Migration.<Migration>list("environment", request.environment()).stream()
                .filter(m -> !m.state.terminal() && caller.sees(m.tenant)).findFirst();
        if (running.isPresent()) {
            throw new Problem(409, "environment " + request.environment() + " already has migration " + running.get().id
                    + " in progress (" + running.get().state.label() + ")");
        }
        Optional<Environment> environment = lookUp(request.environment()).filter(e -> caller.sees(e.owner()));
        OffsetDateTime now = Decisions.now();
        Migration m = new Migration();
        m.id = UUID.randomUUID();
        m.environment = request.environment();
        m.tenant = environment.map(Environment::owner).orElse(caller.scope());
        m.targetServer = request.targetServer();
        m.targetName = request.newName() != null ? request.newName() : request.environment() + "-" + request.targetServer();
        m.strategy = request.strategy() == null ? Strategy.LIVE : request.strategy();
        m.autoConfirm = Boolean.TRUE.equals(request.autoConfirm());
        m.oneWay = Boolean.TRUE.equals(request.oneWay());
        m.switchOverAt = request.switchOverAt();
        m.switchOverUntil = request.switchOverUntil();
        m.maxAttempts = settings.retry().attempts();
        m.freezeBudgetMillis = request.freezeBudgetMillis() != null ? request.freezeBudgetMillis() : settings.freeze().budget().toMillis();
        m.requestedBy = caller.subject();
        m.idempotencyKey = idempotencyKey;
        m.createdAt = now;
        m.updatedAt = now;
        m.state = MigrationState.PREFLIGHT;
        Notifications.Reachable notifiers = notifications.reachable(environment.map(e -> e.skeleton().notifiers()).orElse(List.of()));
        m.notifiers = notifiers.notifiers();
        m.persist();
        // The migration's trace starts here: every later span of it, in every service, descends from this one.
        LogContext.withMigration(m.id, () -> TraceContext.within(null, "create", () -> {
            m.traceparent = TraceContext.current();
            decisions.apply(m, null, null, MigrationSaga.start(m.facts()), caller.subject());
        }));
        notifiers.skipped().forEach(why -> Decisions.history(m, now, m.state, "orchestrator", "notifier not told: " + why));
        return new Created(m, true);
    }

    /**
     * The environment as the platform has it now (its owner, and its notifiers: the source may be gone when the migration
     * ends); a platform that does not answer leaves the migration without notifiers, not without a start.
     */
    private Optional<Environment> lookUp(String name) {
        try {
            return platform.environment(name);
        } catch (RuntimeException e) {
            // Preflight, which asks the platform next, then says why the migration can't go on.
            LOG.warnf("environment %s: the platform did not answer, so its notifiers are unknown and none is told: %s", name, e.getMessage());
            return Optional.empty();
        }
    }

    @Transactional
    public Migration confirm(UUID id, Caller caller) {
        return act(id, caller, "confirm", m -> MigrationSaga.confirm(m.position(), m.facts()));
    }

    /** Switch over now although the predicted freeze is over the budget. */
    @Transactional
    public Migration force(UUID id, Caller caller) {
        return act(id, caller, "force", m -> {
            if (m.state == MigrationState.WAITING_FOR_CATCH_UP) {
                m.forced = true;
            }
            return MigrationSaga.force(m.position(), m.facts());
        });
    }

    @Transactional
    public Migration rollback(UUID id, Caller caller) {
        return act(id, caller, "rollback", m -> MigrationSaga.rollback(m.position(), m.facts()));
    }

    /**
     * Finalizes now: the way back, the old address's forwarding and the source are removed, and the migration can no longer
     * be rolled back. A finalize that stopped on a failing cleanup tries it again, with a fresh count of retries.
     */
    @Transactional
    public Migration finalizeMigration(UUID id, Caller caller) {
        return act(id, caller, "finalize", m -> {
            m.attempts = 0;
            return MigrationSaga.finalize(m.position(), m.facts(), "finalized by " + caller.subject());
        });
    }

    @Transactional
    public Migration abort(UUID id, Caller caller, boolean force) {
        return act(id, caller, "abort", m -> force ? MigrationSaga.abortByForce(m.position(), m.facts()) : MigrationSaga.abort(m.position(), m.facts()));
    }

    /** A live migration waiting before its switch-over stops replicating until resumed. */
    @Transactional
    public Migration pause(UUID id, Caller caller) {
        return act(id, caller, "pause", m -> MigrationSaga.pause(m.position(), m.facts()));
    }

    @Transactional
    public Migration resume(UUID id, Caller caller) {
        return act(id, caller, "resume", m -> MigrationSaga.resume(m.position(), m.facts()));
    }

    /** A migration that needs attention tries what failed again. */
    @Transactional
    public Migration repair(UUID id, Caller caller) {
        return act(id, caller, "repair", m -> MigrationSaga.repair(m.position(), m.facts()));
    }

    /**
     * A person's action on a migration: the saga decides, within the migration's trace; a refusal changes nothing. Another
     * tenant's migration is one that does not exist.
     */
    private Migration act(UUID id, Caller caller, String name, Function<Migration, Decision> action) {
        Migration m = Decisions.lock(id);
        if (!caller.sees(m.tenant)) {
            throw new Problem(404, "no migration " + id);
        }
        TraceContext.within(m.traceparent, name, () -> decisions.apply(m, m.state, null, action.apply(m), caller.subject()));
        return m;
    }

    @Incoming("step-events")
    @Blocking(ordered = false)
    public void receive(String record) {
        deliveries.deliver("step-events", record, this);
    }

    /** A service's event about a migration. */
    public void on(MigrationMessage event) {
        Migration m = Migration.findById(event.migrationId(), LockModeType.PESSIMISTIC_WRITE);
        if (m == null) {
            if (event instanceof PreflightCompleted c && plans.record(c.migrationId(), c.checks(), true)
                    || event instanceof PreflightFailed f && plans.record(f.migrationId(), f.checks(), false)
                    || event instanceof StepStarted && Plan.findById(event.migrationId()) != null) {
                return;
            }
            throw new MalformedMessageException("unknown migration " + event.migrationId());
        }
        if (event instanceof WalRetentionExceeded w) {
            warn(m, m.state == MigrationState.COMPLETED
                    ? "the target keeps " + w.retainedBytes() + " bytes of WAL for the way back of " + w.database() + " (limit "
                            + w.limitBytes() + "): the source does not follow; roll back or let the rollback window end"
                    : "the source keeps " + w.retainedBytes() + " bytes of WAL for the replication of " + w.database()
                            + " (limit " + w.limitBytes() + "): its disk fills while the migration waits; confirm or abort soon");
            return;
        }
        if (event instanceof WayBackEnded w && m.state != MigrationState.FINALIZING) {
            Decisions.history(m, Decisions.now(), m.state, "data-sync", w.detail());
            return;
        }
        if (event instanceof ReplicationToggled t) {
            if (t.done()) {
                Decisions.history(m, Decisions.now(), m.state, "data-sync", t.detail());
            } else {
                warn(m, t.detail());
            }
            return;
        }
        if (event instanceof SwitchPointVerified v) {
            // The proof of a switch-over (or a rollback's) that happened: meaningless once it failed and the side left took
            // writes again.
            boolean back = m.state == MigrationState.ROLLING_BACK || m.state == MigrationState.ROLLED_BACK;
            if (back || m.state == MigrationState.SWITCHING_OVER || m.state == MigrationState.COMPLETED) {
                if (v.matches()) {
                    Decisions.history(m, Decisions.now(), m.state, "data-sync", (back ? "rollback " : "") + "switch point verified: " + v.detail());
                } else {
                    warn(m, v.detail() + (back ? "" : "; to go back to the source: cutover rollback " + m.id));
                }
            }
            return;
        }
        if (event instanceof StepStarted || event instanceof StepProgressed) {
            steps.record(m, event, Optional.empty());
            reconsider(m, event);
            return;
        }
        Decision d = MigrationSaga.on(m.position(), m.facts(), event);
        steps.record(m, event, d.answered());
        decisions.apply(m, m.state, event, d, "service");
    }

    /** A new estimate of the freeze's data part: the freeze starts if it now fits, else the reason says what dominates. */
    private void reconsider(Migration m, MigrationMessage event) {
        if (event instanceof StepProgressed p && p.figures() != null && p.figures().containsKey("freezeDataMillis")) {
            // data-sync's estimate of the data part of the freeze, plus the hops of holding and switching the traffic.
            long catchUp = p.figures().get("freezeDataMillis");
            long overhead = settings.freeze().overhead().toMillis();
            m.predictedFreezeMillis = catchUp + overhead;
            Decision d = MigrationSaga.reconsider(m.position(), m.facts());
            if (d.kind() == Decision.Kind.IGNORE && m.state == MigrationState.WAITING_FOR_CATCH_UP) {
                m.reason = d.reason() + (overhead >= m.freezeBudgetMillis
                        ? "; it can never fit: holding, fencing and switching alone take " + overhead
                                + " ms, whatever the lag (raise the budget, or force)"
                        : "; of it, catching up the replication lag is " + catchUp + " ms, holding, fencing and switching "
                                + overhead + " ms");
            } else {
                decisions.apply(m, m.state, event, d, "data-sync");
            }
        }
    }

    /** A warning in the migration's history and on the progress stream; the migration goes on. */
    private void warn(Migration m, String warning) {
        OffsetDateTime now = Decisions.now();
        Decisions.history(m, now, m.state, "data-sync", "warning: " + warning);
        outbox.send(new MigrationWarned(m.id, m.environment, warning, now));
    }
}
