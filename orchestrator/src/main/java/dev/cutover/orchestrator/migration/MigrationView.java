package dev.cutover.orchestrator.migration;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A migration as the API shows it: its state, each step with timings, the preflight report, the history; its trace (the
 * W3C trace id every service's spans of it carry) and, with a tracing backend configured, where to open it.
 */
public record MigrationView(
        UUID id,
        String environment,
        String targetServer,
        String targetEnvironment,
        String strategy,
        boolean autoConfirm,
        boolean oneWay,
        OffsetDateTime rollbackUntil,
        OffsetDateTime finalizeAt,
        OffsetDateTime switchOverAt,
        OffsetDateTime switchOverUntil,
        long freezeBudgetMillis,
        Long predictedFreezeMillis,
        String state,
        String currentStep,
        String reason,
        OffsetDateTime staleSince,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        String traceId,
        String traceUrl,
        List<StepView> steps,
        List<CheckView> preflight,
        List<HistoryView> history) {

    public record StepView(String step, String status, OffsetDateTime startedAt, OffsetDateTime finishedAt, Long durationMs,
                           String detail, Map<String, Long> figures) {
    }

    public record CheckView(String id, String severity, String outcome, String reason) {
    }

    public record HistoryView(OffsetDateTime at, String from, String to, String actor, String reason) {
    }

    /** One point of a step's figures over time, for one database or addon ({@code part}). */
    public record SampleView(String step, String part, OffsetDateTime at, Map<String, Long> figures) {
    }
}
