package dev.cutover.orchestrator.migration;

import dev.cutover.contracts.migration.MigrationStale;
import dev.cutover.kit.outbox.Outbox;
import dev.cutover.kit.trace.TraceContext;
import dev.cutover.orchestrator.saga.Decision;
import dev.cutover.orchestrator.saga.MigrationSaga;
import dev.cutover.orchestrator.saga.MigrationState;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The migrations' clocks: step deadlines, retries, stale confirmations, rollback windows, retention. All are stored, so they
 * survive a restart.
 */
@ApplicationScoped
class MigrationTimers {

    @Inject
    Decisions decisions;

    @Inject
    Outbox outbox;

    @Inject
    MigrationSettings settings;

    /** Steps past their deadline fail the migration (and compensate). */
    @Scheduled(every = "${cutover.timeouts.check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void expireSteps() {
        List<Migration> late = Migration.getEntityManager().createQuery(
                        "from Migration where stepDeadline < :now order by stepDeadline", Migration.class)
                .setParameter("now", Decisions.now()).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", -2).setMaxResults(20).getResultList();
        for (Migration m : late) {
            String step = m.position().step().step().label();
            String why = step + " timed out after " + settings.timeout(m.position().step().step()).toSeconds() + " s";
            TraceContext.within(m.traceparent, "step timed out", () -> decisions.apply(m, m.state, null, MigrationSaga.timeout(m.position(), m.facts(), why), "timer"));
        }
    }

    /** Failed actions whose back-off is over are tried again. */
    @Scheduled(every = "${cutover.timeouts.check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void retryFailed() {
        List<Migration> due = Migration.getEntityManager().createQuery(
                        "from Migration where retryAt < :now order by retryAt", Migration.class)
                .setParameter("now", Decisions.now()).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", -2).setMaxResults(20).getResultList();
        for (Migration m : due) {
            TraceContext.within(m.traceparent, "retry", () -> decisions.apply(m, m.state, null, MigrationSaga.retry(m.position(), m.facts()), "timer"));
            m.retryAt = null;
        }
    }

    /** Migrations waiting for their switch-over window confirm themselves in it, or wait for a person once it passed. */
    @Scheduled(every = "${cutover.timeouts.check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void openWindows() {
        OffsetDateTime now = Decisions.now();
        List<Migration> due = Migration.getEntityManager().createQuery("from Migration where state = :awaiting and switchOverAt <= :now"
                        + " and windowPassed = false order by switchOverAt", Migration.class)
                .setParameter("awaiting", MigrationState.AWAITING_CONFIRMATION).setParameter("now", now)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).setHint("jakarta.persistence.lock.timeout", -2)
                .setMaxResults(20).getResultList();
        for (Migration m : due) {
            Decision d = MigrationSaga.windowOpened(m.position(), m.facts(), now);
            m.windowPassed = d.commands().isEmpty();
            TraceContext.within(m.traceparent, "switch-over window opened", () -> decisions.apply(m, m.state, null, d, "schedule"));
        }
    }

    /** Completed migrations whose rollback window is over lose their way back: rollback is refused from then on. */
    @Scheduled(every = "${cutover.timeouts.check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void endRollbackWindows() {
        for (Migration m : completedBefore("rollbackUntil", "and wayBackEnded = false")) {
            m.wayBackEnded = true;
            TraceContext.within(m.traceparent, "rollback window ended", () -> decisions.apply(m, m.state, null,
                    MigrationSaga.endRollbackWindow(m.position(), m.facts(), "the rollback window ended on " + m.rollbackUntil), "timer"));
        }
    }

    /** Completed migrations whose retention is over are finalized: the way back, the old address and the source are removed. */
    @Scheduled(every = "${cutover.timeouts.check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void finalizeRetained() {
        for (Migration m : completedBefore("finalizeAt", "")) {
            TraceContext.within(m.traceparent, "retention ended", () -> decisions.apply(m, m.state, null,
                    MigrationSaga.finalize(m.position(), m.facts(), "the retention ended on " + m.finalizeAt), "timer"));
        }
    }

    /** Completed migrations whose {@code clock} is past, locked, skipping those another transaction holds. */
    private static List<Migration> completedBefore(String clock, String andAlso) {
        return Migration.getEntityManager().createQuery("from Migration where state = :completed and " + clock + " < :now "
                                + andAlso + " order by " + clock, Migration.class)
                .setParameter("completed", MigrationState.COMPLETED).setParameter("now", Decisions.now())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).setHint("jakarta.persistence.lock.timeout", -2)
                .setMaxResults(20).getResultList();
    }

    /**
     * Migrations waiting for confirmation longer than {@code cutover.stale-after} get one {@code MigrationStale} warning on
     * the progress stream and in their history. The wait's start is stored, so the timer survives a restart.
     */
    @Scheduled(every = "${cutover.timeouts.check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void flagStale() {
        OffsetDateTime now = Decisions.now();
        List<Migration> stale = Migration.getEntityManager().createQuery(
                        "from Migration where state in (:awaiting, :paused) and staleAt is null and awaitingSince < :limit"
                                + " and (switchOverAt is null or windowPassed = true)", Migration.class)
                .setParameter("awaiting", MigrationState.AWAITING_CONFIRMATION).setParameter("paused", MigrationState.PAUSED).setParameter("limit", now.minus(settings.staleAfter()))
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).setHint("jakarta.persistence.lock.timeout", -2)
                .setMaxResults(50).getResultList();
        for (Migration m : stale) {
            m.staleAt = now;
            Decisions.history(m, now, m.state, "timer", "stale: waiting for confirmation since " + m.awaitingSince + ", longer than " + settings.staleAfter());
            TraceContext.within(m.traceparent, "stale", () -> {
                outbox.send(new MigrationStale(m.id, m.environment, m.awaitingSince, now));
                decisions.announce(m, "stale");
            });
        }
    }
}
