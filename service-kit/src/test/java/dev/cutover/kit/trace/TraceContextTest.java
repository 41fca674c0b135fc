package dev.cutover.kit.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.kit.log.LogContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TraceContextTest {

    private static final String PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();

    @BeforeEach
    void exportToMemory() {
        TraceContext.use(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build().get(Tracing.SCOPE));
    }

    @Test
    void workIsASpanChildOfTheMessageThatAskedForItAndWhatItSendsIsItsChild() {
        AtomicReference<String> sent = new AtomicReference<>();
        LogContext.withMigration("m-1", () -> TraceContext.within(PARENT, "on StartDataSync", () -> sent.set(TraceContext.next())));

        SpanData span = only();
        assertEquals("on StartDataSync", span.getName());
        assertEquals("0af7651916cd43dd8448eb211c80319c", span.getTraceId());
        assertEquals("b7ad6b7169203331", span.getParentSpanId());
        assertEquals("m-1", span.getAttributes().asMap().entrySet().stream()
                .filter(e -> e.getKey().getKey().equals(TraceContext.MIGRATION_ID)).findFirst().orElseThrow().getValue());
        assertEquals("00-" + span.getTraceId() + "-" + span.getSpanId() + "-01", sent.get(), "the message sent names the span as parent");
    }

    @Test
    void aMissingOrMalformedParentStartsANewTrace() {
        TraceContext.within("not a traceparent", "create", () -> { });
        SpanData span = only();
        assertFalse(span.getParentSpanContext().isValid(), "a root");
        assertNotEquals("0af7651916cd43dd8448eb211c80319c", span.getTraceId());
        assertNull(TraceContext.current(), "outside any span");
        assertTrue(TraceContext.next().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), "a message sent outside a span starts a trace");
    }

    @Test
    void aFailureMarksTheSpanFailedAndIsRethrown() {
        assertThrows(IllegalStateException.class, () -> TraceContext.within(PARENT, "on SwitchTraffic", () -> {
            throw new IllegalStateException("no route");
        }));
        assertEquals(StatusCode.ERROR, only().getStatus().getStatusCode());
    }

    @Test
    void progressReportedAlongTheWayIsNoSpanOfItsOwn() {
        AtomicReference<String> sent = new AtomicReference<>();
        TraceContext.continuing(PARENT, () -> sent.set(TraceContext.next()));
        assertEquals(List.of(), exported.getFinishedSpanItems());
        assertEquals(PARENT, sent.get(), "reports carry the work's own span as parent");
    }

    @Test
    void aStepIsRecordedWithTheTimesItsRecordsSay() {
        Instant start = Instant.parse("2026-12-04T10:00:00Z");
        Instant end = start.plusMillis(1234);
        TraceContext.record(PARENT, "step sync", start, end, Map.of("cutover.step.status", "completed"));
        SpanData span = only();
        assertEquals(1234L * 1_000_000, span.getEndEpochNanos() - span.getStartEpochNanos());
        assertEquals("b7ad6b7169203331", span.getParentSpanId());
    }

    private SpanData only() {
        List<SpanData> spans = exported.getFinishedSpanItems();
        assertEquals(1, spans.size(), spans.toString());
        return spans.get(0);
    }
}
