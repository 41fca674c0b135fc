package dev.cutover.orchestrator.migration;

import dev.cutover.contracts.Failure;
import dev.cutover.contracts.Message;
import dev.cutover.contracts.Step;
import dev.cutover.contracts.datasync.DataSynced;
import dev.cutover.contracts.datasync.ReplicationCaughtUp;
import dev.cutover.contracts.migration.MigrationStepProgressed;
import dev.cutover.contracts.migration.StepProgressed;
import dev.cutover.contracts.migration.StepStarted;
import dev.cutover.contracts.preflight.CheckResult;
import dev.cutover.contracts.preflight.PreflightCompleted;
import dev.cutover.contracts.preflight.PreflightFailed;
import dev.cutover.contracts.traffic.TrafficSwitchCompensated;
import dev.cutover.contracts.traffic.TrafficSwitched;
import dev.cutover.kit.outbox.Outbox;
import dev.cutover.kit.trace.TraceContext;
import dev.cutover.orchestrator.saga.MigrationState;
import dev.cutover.orchestrator.saga.StepOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A migration's step records (status, times, detail, figures), its preflight report and the progress stream's step
 * messages, kept from what the services report and what the saga dispatches; in the caller's transaction.
 */
@ApplicationScoped
class StepRecords {

    static final int SAMPLES_PER_SERIES = 500;

    @Inject
    Outbox outbox;

    @Inject
    MigrationMetrics metrics;

    /**
     * Step records and the public progress stream, for every event a service sends: {@code answered}, the step the event
     * answers as the saga read it.
     */
    void record(Migration m, Message event, Optional<StepOutcome> answered) {
        if (event instanceof StepStarted s) {
            mark(m, s.step(), StepStatus.RUNNING, null, Map.of());
        } else if (event instanceof StepProgressed p) {
            Map<String, Long> figures = p.figures() == null ? Map.of() : p.figures();
            MigrationStep s = mark(m, p.step(), StepStatus.RUNNING, p.detail(), figures);
            if (p.part() != null && !figures.isEmpty()) {
                sample(m, s.step, p.part(), figures);
            }
        } else {
            answered.ifPresent(o -> mark(m, o.step(), switch (o.kind()) {
                case COMPLETED -> StepStatus.COMPLETED;
                case FAILED -> StepStatus.FAILED;
                case COMPENSATED -> StepStatus.COMPENSATED;
            }, summary(event), figures(event)));
        }
        if (event instanceof DataSynced d) {
            metrics.dataCopied(d.rows(), d.bytes());
        } else if (event instanceof TrafficSwitched t) {
            metrics.freeze(t.freezeMillis());
        }
        // The report is the first preflight's; a recheck's blocker shows as the step's detail and the migration's reason.
        if (event instanceof PreflightCompleted c && !c.recheck()) {
            saveChecks(m, c.checks());
        } else if (event instanceof PreflightFailed f && !f.recheck()) {
            saveChecks(m, f.checks());
        }
    }

    /**
     * While rolling back (or finalizing), every step the services report is recorded as the one rollback (finalize) step,
     * leaving the forward record as it was; that step runs until the migration is rolled back (finalized).
     */
    MigrationStep mark(Migration m, Step reported, StepStatus reportedStatus, String detail, Map<String, Long> figures) {
        Step step = m.position().rollingBack() ? Step.ROLLBACK : m.position().finalizing() ? Step.FINALIZE : reported;
        boolean ended = m.state == MigrationState.ROLLED_BACK || m.state == MigrationState.FINALIZED;
        StepStatus status = step != reported && (reportedStatus == StepStatus.COMPLETED || reportedStatus == StepStatus.DISPATCHED)
                && !ended ? StepStatus.RUNNING : reportedStatus;
        MigrationStep s = MigrationStep.<MigrationStep>find("migrationId = ?1 and step = ?2", m.id, step.label())
                .firstResultOptional().orElseGet(() -> {
                    MigrationStep fresh = new MigrationStep();
                    fresh.migrationId = m.id;
                    fresh.step = step.label();
                    return fresh;
                });
        OffsetDateTime now = Decisions.now();
        // Progress reported after a step completed (a live replication's lag) updates its figures, not its status.
        if (!(status == StepStatus.RUNNING && StepStatus.COMPLETED.label().equals(s.status))) {
            s.status = status.label();
        }
        // A step's time runs from its dispatch: a service reports "started" in the transaction that also reports the result.
        if ((status == StepStatus.DISPATCHED || status == StepStatus.RUNNING) && s.startedAt == null) {
            s.startedAt = now;
        }
        if (status.finished()) {
            s.finishedAt = now;
            if (s.startedAt != null) {
                metrics.stepFinished(s.step, status.label(), Duration.between(s.startedAt, now));
                // Where the migration's time went, in its trace: the step from its dispatch to its outcome.
                TraceContext.record(m.traceparent, "step " + s.step, s.startedAt.toInstant(), now.toInstant(),
                        Map.of("cutover.step.status", status.label()));
            }
        }
        if (detail != null) {
            s.detail = detail;
        }
        if (!figures.isEmpty()) {
            Map<String, Long> merged = new HashMap<>(s.figures);
            merged.putAll(figures);
            s.figures = merged;
        }
        s.persist();
        outbox.send(new MigrationStepProgressed(m.id, step, status.label(), s.detail, s.figures, now));
        return s;
    }

    /**
     * A point of the charts: one part's figures now. A series past {@link #SAMPLES_PER_SERIES} points loses every other
     * one, so a replication followed for days keeps its whole span at a coarser grain.
     */
    private void sample(Migration m, String step, String part, Map<String, Long> figures) {
        MigrationSample sample = new MigrationSample();
        sample.migrationId = m.id;
        sample.step = step;
        sample.part = part;
        sample.at = Decisions.now();
        sample.figures = figures;
        sample.persist();
        if (MigrationSample.count("migrationId = ?1 and step = ?2 and part = ?3", m.id, step, part) > SAMPLES_PER_SERIES) {
            MigrationSample.getEntityManager().createNativeQuery("""
                    delete from migration_sample where id in (
                        select id from (select id, row_number() over (order by at, id) as n from migration_sample
                                        where migration_id = ?1 and step = ?2 and part = ?3) numbered
                        where n % 2 = 0)""")
                    .setParameter(1, m.id).setParameter(2, step).setParameter(3, part).executeUpdate();
        }
    }

    /**
     * A migration that ended runs no step: one still marked running or dispatched (it timed out, or its answer will never
     * count) is failed, so the record agrees with the migration's state.
     */
    void closeOpen(Migration m) {
        for (MigrationStep s : MigrationStep.<MigrationStep>list("migrationId", m.id)) {
            if (StepStatus.RUNNING.label().equals(s.status) || StepStatus.DISPATCHED.label().equals(s.status)) {
                s.status = StepStatus.FAILED.label();
                s.finishedAt = m.updatedAt;
                s.detail = (s.detail == null ? "" : s.detail + "; ") + "not finished: the migration is " + m.state.label();
                outbox.send(new MigrationStepProgressed(m.id, Step.valueOf(s.step.toUpperCase().replace('-', '_')), s.status, s.detail,
                        s.figures, m.updatedAt));
            }
        }
    }

    private void saveChecks(Migration m, List<CheckResult> checks) {
        CheckEntry.delete("migrationId", m.id);
        for (CheckResult c : checks) {
            CheckEntry e = new CheckEntry();
            e.migrationId = m.id;
            e.checkId = c.id();
            e.severity = c.severity().name().toLowerCase();
            e.outcome = c.outcome().name().toLowerCase();
            e.reason = c.reason();
            e.persist();
        }
    }


    private static String summary(Message event) {
        if (event instanceof PreflightCompleted c) {
            // What passed with a warning (a recheck's report is kept nowhere else).
            List<String> warned = c.checks().stream().filter(r -> r.outcome() == CheckResult.Outcome.WARNING).map(CheckResult::reason).toList();
            return warned.isEmpty() ? null : "passed, with warnings: " + String.join("; ", warned);
        }
        if (event instanceof DataSynced d) {
            return d.tables() + " tables, " + d.rows() + " rows, " + (d.keys() > 0 ? d.keys() + " Redis keys, " : "") + d.bytes()
                    + " bytes in " + d.millis() + " ms";
        }
        if (event instanceof TrafficSwitched t) {
            return "traffic on the target after a freeze of " + t.freezeMillis() + " ms (" + t.heldRequests() + " requests held): "
                    + String.join(", ", t.addresses()) + (t.dnsChanges().isEmpty() ? "" : "; DNS changes to make: " + String.join("; ", t.dnsChanges()));
        }
        if (event instanceof ReplicationCaughtUp c) {
            return c.detail();
        }
        return event instanceof Failure f ? f.reason() : null;
    }

    private static Map<String, Long> figures(Message event) {
        if (event instanceof DataSynced d) {
            return Map.of("tables", d.tables(), "rows", d.rows(), "keys", d.keys(), "bytes", d.bytes(), "millis", d.millis());
        }
        if (event instanceof TrafficSwitched t) {
            return Map.of("freezeMillis", t.freezeMillis(), "heldRequests", t.heldRequests());
        }
        if (event instanceof ReplicationCaughtUp c) {
            return c.figures();
        }
        if (event instanceof TrafficSwitchCompensated t && t.freezeMillis() > 0) {
            return Map.of("freezeMillis", t.freezeMillis(), "heldRequests", (long) t.heldRequests());
        }
        return Map.of();
    }
}
