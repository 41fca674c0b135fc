package dev.cutover.orchestrator.migration;

import dev.cutover.contracts.Message;
import dev.cutover.contracts.Step;
import dev.cutover.contracts.migration.MigrationStateChanged;
import dev.cutover.contracts.traffic.HoldTraffic;
import dev.cutover.kit.outbox.Outbox;
import dev.cutover.kit.problem.Problem;
import dev.cutover.orchestrator.notify.Notifications;
import dev.cutover.orchestrator.saga.Decision;
import dev.cutover.orchestrator.saga.MigrationState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies the saga's decisions to a migration, inside the caller's transaction: its state and clocks, the commands
 * to the outbox, its step records, its history and state change on the progress stream, and the notifiers told of a
 * milestone. The saga ({@code MigrationSaga}) decides; this only writes down what it decided.
 */
@ApplicationScoped
public class Decisions {

    private static final Logger LOG = Logger.getLogger(Decisions.class);
    private static final Duration RETRY_BACKOFF_MAX = Duration.ofSeconds(30);

    @Inject
    Outbox outbox;

    @Inject
    StepRecords steps;

    @Inject
    Notifications notifications;

    @Inject
    MigrationSettings settings;

    /** Applies a decision: {@code from} is the state before it ({@code null} for a new migration). */
    void apply(Migration m, MigrationState from, Message cause, Decision d, String actor) {
        switch (d.kind()) {
            case REFUSE -> throw new Problem(409, d.reason());
            case IGNORE -> {
                if (cause != null) {
                    LOG.debugf("migration %s: %s ignored (%s)", m.id, cause.getClass().getSimpleName(), d.reason());
                }
                return;
            }
            case RETRY -> {
                // Doubling back-off, stored so that a restart keeps it: 1 s, 2 s, 4 s … up to 30 s by default.
                m.attempts++;
                m.stepDeadline = null;
                // The first retry's delay; each next one doubles, up to RETRY_BACKOFF_MAX.
                Duration delay = settings.retry().backoff().multipliedBy(1L << Math.min(m.attempts - 1, 10));
                m.retryAt = now().plus(delay.compareTo(RETRY_BACKOFF_MAX) > 0 ? RETRY_BACKOFF_MAX : delay);
                history(m, now(), m.state, actor, d.reason() + "; tried again at " + m.retryAt);
                return;
            }
            default -> {
            }
        }
        if (d.position().state() != m.state || d.position().stepIndex() != m.stepIndex) {
            m.attempts = 0;
        }
        m.retryAt = null;
        m.state = d.position().state();
        m.stepIndex = d.position().stepIndex();
        m.outcomeAfterCompensation = d.position().outcomeAfterCompensation();
        m.updatedAt = now();
        // Why it is in this state; the end of a compensation keeps the reason that started it (the failure, or the abort);
        // a decision that sends nothing and stays (a cleanup given up for now) says why it waits.
        if (from != m.state && (from != MigrationState.ABORTING || m.state == MigrationState.NEEDS_ATTENTION)
                || from == m.state && d.commands().isEmpty()) {
            m.reason = d.reason();
        }
        m.stepDeadline = d.commands().isEmpty() || m.state.terminal() || m.state.waiting() ? null
                : m.updatedAt.plus(settings.timeout(m.position().step().step()));
        // A rollback that fails before its freeze leaves the migration completed, its windows as they were.
        if (m.state == MigrationState.COMPLETED && from != MigrationState.COMPLETED && from != MigrationState.ROLLING_BACK) {
            m.rollbackUntil = m.oneWay ? null : m.updatedAt.plus(settings.rollbackWindow());
            m.finalizeAt = m.updatedAt.plus(settings.retention());
        }
        // A pause keeps the wait's start: a paused migration is flagged stale as the wait it interrupts would be.
        if (m.state == MigrationState.PAUSED && m.awaitingSince == null) {
            m.awaitingSince = m.updatedAt;
        }
        if (m.state == MigrationState.AWAITING_CONFIRMATION && from != MigrationState.AWAITING_CONFIRMATION && from != MigrationState.PAUSED) {
            m.awaitingSince = m.updatedAt;
            m.staleAt = null;
        }
        for (Message command : d.commands()) {
            outbox.send(command);
            // A migration that has ended (a failed rollback's release, a finalized one's cleanup) runs no step; nor does one
            // that waits (a pause's command belongs to no step).
            if (!m.state.terminal() && !m.state.waiting()) {
                steps.mark(m, m.position().step().step(), m.position().compensating() ? StepStatus.COMPENSATING : StepStatus.DISPATCHED, null, Map.of());
            }
        }
        if (m.state == MigrationState.ROLLED_BACK) {
            steps.mark(m, Step.ROLLBACK, StepStatus.COMPLETED, d.reason(), Map.of());
        } else if (m.state == MigrationState.FINALIZED) {
            steps.mark(m, Step.FINALIZE, StepStatus.COMPLETED, d.reason(), Map.of());
        }
        if (m.state.terminal() && from != m.state) {
            steps.closeOpen(m);
        }
        HistoryEntry h = history(m, m.updatedAt, from, actor, d.reason());
        outbox.send(new MigrationStateChanged(m.id, m.environment, h.fromState, h.toState, actor, d.reason(), m.updatedAt));
        milestone(m, from, d).ifPresent(milestone -> announce(m, milestone));
    }

    /**
     * What the notifiers are told of: the migration was created, entered a state a person cares about (awaiting
     * confirmation, an end, needs attention, a rollback), or froze its writes for the switch-over.
     */
    private static Optional<String> milestone(Migration m, MigrationState from, Decision d) {
        if (from == null) {
            return Optional.of("created");
        }
        if (m.state == MigrationState.SWITCHING_OVER && d.commands().stream().anyMatch(HoldTraffic.class::isInstance)) {
            return Optional.of("freeze");
        }
        boolean told = switch (m.state) {
            case AWAITING_CONFIRMATION, COMPLETED, FAILED, PREFLIGHT_FAILED, ABORTED, NEEDS_ATTENTION, ROLLING_BACK, ROLLED_BACK,
                 FINALIZED -> true;
            default -> false;
        };
        return told && from != m.state ? Optional.of(m.state.label()) : Optional.empty();
    }

    /** A history entry: the migration went from {@code from} ({@code null} when it was created) to its current state. */
    static HistoryEntry history(Migration m, OffsetDateTime at, MigrationState from, String actor, String reason) {
        HistoryEntry h = new HistoryEntry();
        h.migrationId = m.id;
        h.at = at;
        h.fromState = from == null ? null : from.label();
        h.toState = m.state.label();
        h.actor = actor;
        h.reason = reason;
        h.persist();
        return h;
    }

    static Migration lock(UUID id) {
        Migration m = Migration.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (m == null) {
            throw new Problem(404, "no migration " + id);
        }
        return m;
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** The migration's notifiers are told of a milestone, with what a reader needs to know what happened. */
    void announce(Migration m, String milestone) {
        Map<String, Object> facts = new HashMap<>();
        facts.put("environment", m.environment);
        facts.put("targetEnvironment", m.targetName);
        facts.put("targetServer", m.targetServer);
        facts.put("strategy", m.strategy.name().toLowerCase());
        facts.put("state", m.state.label());
        facts.put("reason", m.reason);
        notifications.announce(m.id, m.notifiers, milestone, facts);
    }
}
