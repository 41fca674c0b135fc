package dev.cutover.orchestrator.migration;

import dev.cutover.contracts.Step;
import dev.cutover.kit.problem.Problem;
import dev.cutover.orchestrator.saga.MigrationSaga;
import dev.cutover.orchestrator.saga.SagaStep;
import dev.cutover.orchestrator.saga.MigrationState;
import dev.cutover.orchestrator.tenant.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/** Reads migrations for the API: a caller sees its tenant's only (another tenant's migration is one that does not exist). */
@ApplicationScoped
public class MigrationViews {

    @Transactional
    public MigrationView one(UUID id, Caller caller) {
        return view(seen(id, caller));
    }

    /** The figures its steps reported over time, oldest first (the dashboard's charts). */
    @Transactional
    public List<MigrationView.SampleView> samples(UUID id, Caller caller) {
        seen(id, caller);
        return MigrationSample.<MigrationSample>list("migrationId = ?1 order by at, id", id).stream()
                .map(s -> new MigrationView.SampleView(s.step, s.part, s.at, s.figures)).toList();
    }

    private static Migration seen(UUID id, Caller caller) {
        Migration m = Migration.findById(id);
        if (m == null || !caller.sees(m.tenant)) {
            throw new Problem(404, "no migration " + id);
        }
        return m;
    }

    @Transactional
    public List<MigrationView> list(String environment, String state, Caller caller) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (!caller.everyTenant()) {
            query.append(" and tenant = :tenant");
            params.put("tenant", caller.tenant());
        }
        if (environment != null) {
            query.append(" and environment = :environment");
            params.put("environment", environment);
        }
        if (state != null) {
            try {
                params.put("state", MigrationState.ofLabel(state));
            } catch (IllegalArgumentException e) {
                throw new Problem(400, e.getMessage());
            }
            query.append(" and state = :state");
        }
        if (!caller.everyTenant() && caller.tenant() == null) {
            return List.of();
        }
        return Migration.<Migration>list(query + " order by createdAt desc", params).stream().map(this::view).toList();
    }

    /** The tracing backend's page of one trace, {@code {traceId}} standing for its id (unset: no link). */
    @ConfigProperty(name = "cutover.tracing.trace-url")
    Optional<String> traceUrl;

    private static String traceId(Migration m) {
        return m.traceparent == null ? null : m.traceparent.substring(3, 35);
    }

    MigrationView view(Migration m) {
        Map<String, MigrationStep> records = new HashMap<>();
        MigrationStep.<MigrationStep>list("migrationId", m.id).forEach(s -> records.put(s.step, s));
        List<MigrationView.StepView> steps = new ArrayList<>();
        Stream.concat(MigrationSaga.STEPS.stream().map(SagaStep::step),
                        Stream.of(Step.ROLLBACK, Step.FINALIZE).filter(after -> records.containsKey(after.label())))
                .forEach(step -> {
            MigrationStep s = records.get(step.label());
            steps.add(s == null
                    ? new MigrationView.StepView(step.label(), StepStatus.PENDING.label(), null, null, null, null, Map.of())
                    : new MigrationView.StepView(s.step, s.status, s.startedAt, s.finishedAt,
                            s.startedAt != null && s.finishedAt != null ? Duration.between(s.startedAt, s.finishedAt).toMillis() : null,
                            s.detail, s.figures));
        });
        List<MigrationView.CheckView> checks = CheckEntry.<CheckEntry>list("migrationId", m.id).stream()
                .map(c -> new MigrationView.CheckView(c.checkId, c.severity, c.outcome, c.reason)).toList();
        List<MigrationView.HistoryView> history = HistoryEntry.<HistoryEntry>list("migrationId", m.id).stream()
                .sorted(Comparator.comparing(h -> h.id))
                .map(h -> new MigrationView.HistoryView(h.at, h.fromState, h.toState, h.actor, h.reason)).toList();
        return new MigrationView(m.id, m.environment, m.targetServer, m.targetName, m.strategy.name().toLowerCase(),
                m.autoConfirm, m.oneWay, m.rollbackUntil, m.finalizeAt, m.switchOverAt, m.switchOverUntil, m.freezeBudgetMillis, m.predictedFreezeMillis, m.state.label(), m.position().step().step().label(), m.reason,
                m.state == MigrationState.AWAITING_CONFIRMATION ? m.staleAt : null, m.createdAt,
                m.updatedAt, traceId(m), traceUrl.map(url -> url.replace("{traceId}", traceId(m))).orElse(null), steps, checks, history);
    }
}
