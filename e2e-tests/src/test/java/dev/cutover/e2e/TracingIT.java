package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.stack.Http;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One migration is one trace in the tracing backend (the stack's Zipkin): spans from all five services, in the order the
 * saga reached them, one tree from the request that created it, and a span per step as long as its record says.
 */
class TracingIT {

    private static final List<String> SERVICES = List.of("orchestrator", "preflight-service", "provisioning-service",
            "data-sync-service", "traffic-service");

    @Test
    void aMigrationIsOneTraceWithSpansFromEveryServiceInOrderAndItsStepsTimedAsTheRecordsSay() {
        Stack.environment("traced", "traced.example.com");
        String id = Stack.start("traced", Map.of("autoConfirm", true));
        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(120));
        assertEquals("completed", done.path("state").asText(), done.toPrettyString());
        String traceId = done.path("traceId").asText();
        assertTrue(traceId.matches("[0-9a-f]{32}"), "the migration names its trace: " + traceId);
        String zipkin = Stack.get().tracingUrl();
        assertEquals(zipkin + "/zipkin/traces/" + traceId, done.path("traceUrl").asText(), "the dashboard's link to the trace");

        List<JsonNode> steps = new ArrayList<>();
        done.path("steps").forEach(s -> {
            if (!s.path("startedAt").isNull() && !s.path("finishedAt").isNull()) {
                steps.add(s);
            }
        });
        // Spans are sent in batches every few seconds: wait until every finished step's span is there.
        List<JsonNode> spans = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            spans = trace(zipkin, traceId);
            if (stepSpans(spans).size() >= steps.size() && services(spans).containsAll(SERVICES)) {
                break;
            }
            Stack.sleep(500);
        }
        assertTrue(services(spans).containsAll(SERVICES), "spans from every service: " + services(spans));

        // One tree: a single root, the request that created the migration; every other span's parent is in the trace.
        Set<String> ids = new HashSet<>();
        spans.forEach(s -> ids.add(s.path("id").asText()));
        List<JsonNode> roots = spans.stream().filter(s -> !s.has("parentId")).toList();
        assertEquals(1, roots.size(), "one root: " + roots);
        assertEquals("create", roots.get(0).path("name").asText());
        assertEquals("orchestrator", service(roots.get(0)));
        for (JsonNode s : spans) {
            assertTrue(!s.has("parentId") || ids.contains(s.path("parentId").asText()), "a span whose parent is missing: " + s);
            assertEquals(id, s.path("tags").path("cutover.migration.id").asText(), "every span names the migration: " + s);
        }

        // The services in the order the saga reached them: each one's first span after the one before's.
        Map<String, Long> first = new LinkedHashMap<>();
        spans.stream().sorted(Comparator.comparingLong(s -> s.path("timestamp").asLong()))
                .forEach(s -> first.putIfAbsent(service(s), s.path("timestamp").asLong()));
        for (int i = 1; i < SERVICES.size(); i++) {
            assertTrue(first.get(SERVICES.get(i - 1)) < first.get(SERVICES.get(i)),
                    SERVICES.get(i - 1) + " before " + SERVICES.get(i) + ": " + first);
        }

        // Where the time went: a span per step, from its dispatch to its outcome as its record says, in the saga's order.
        Map<String, JsonNode> byStep = stepSpans(spans);
        List<String> recorded = steps.stream().map(s -> s.path("step").asText()).toList();
        assertEquals(recorded, byStep.values().stream().sorted(Comparator.comparingLong(s -> s.path("timestamp").asLong()))
                .map(s -> s.path("name").asText().substring("step ".length())).toList(), "the steps' spans in their order");
        for (JsonNode record : steps) {
            JsonNode span = byStep.get("step " + record.path("step").asText());
            assertNotNull(span, record.toString());
            long startMicros = ChronoUnit.MICROS.between(OffsetDateTime.parse("1970-01-01T00:00:00Z"),
                    OffsetDateTime.parse(record.path("startedAt").asText()));
            assertTrue(Math.abs(span.path("timestamp").asLong() - startMicros) <= 1000, "started as its record: " + span + " " + record);
            assertTrue(Math.abs(span.path("duration").asLong() / 1000 - record.path("durationMs").asLong()) <= 1,
                    "as long as its record: " + span + " " + record);
        }
    }

    private static List<JsonNode> trace(String zipkin, String traceId) {
        Http.Answer answer = Stack.HTTP.get(zipkin + "/api/v2/trace/" + traceId);
        List<JsonNode> spans = new ArrayList<>();
        if (answer.status() == 200) {
            answer.body().forEach(spans::add);
        }
        return spans;
    }

    private static Map<String, JsonNode> stepSpans(List<JsonNode> spans) {
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        spans.stream().filter(s -> s.path("name").asText().startsWith("step ")).forEach(s -> steps.put(s.path("name").asText(), s));
        return steps;
    }

    private static Set<String> services(List<JsonNode> spans) {
        Set<String> services = new HashSet<>();
        spans.forEach(s -> services.add(service(s)));
        return services;
    }

    private static String service(JsonNode span) {
        return span.path("localEndpoint").path("serviceName").asText();
    }
}
