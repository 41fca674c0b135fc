package dev.cutover.kit.trace;

import dev.cutover.kit.log.LogContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * W3C trace context ({@code traceparent}) carried from each received message to the messages its handling sends, so
 * one migration is one trace across the services. Each piece of work (a message handled, a timer, a person's action)
 * is a span, child of the span that sent its message; what it sends names it as parent. Spans are exported when
 * {@link Tracing} is configured with a backend, and only their ids are made otherwise. While work runs within a trace,
 * its trace id is also in the logging MDC ({@link LogContext#TRACE_ID}), and a span carries the migration id.
 */
public final class TraceContext {

    /** The span attribute naming the migration a span is about. */
    public static final String MIGRATION_ID = "cutover.migration.id";

    private static final IdGenerator IDS = IdGenerator.random();
    private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    // Until a backend is configured: spans get real ids and go nowhere.
    private static volatile Tracer tracer = SdkTracerProvider.builder().build().get(Tracing.SCOPE);

    private TraceContext() {
    }

    static void use(Tracer exporting) {
        tracer = exporting;
    }

    /**
     * Runs {@code work} as the span {@code name}, a child of {@code traceparent} (the root of a new trace if it is absent
     * or malformed); a failure marks the span failed and is rethrown.
     */
    public static void within(String traceparent, String name, Runnable work) {
        Span span = start(tracer.spanBuilder(name), traceparent);
        try (Scope ignored = span.makeCurrent()) {
            LogContext.with(LogContext.TRACE_ID, span.getSpanContext().getTraceId(), work);
        } catch (RuntimeException | Error e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * Runs {@code work} as part of the span of {@code traceparent}, without a span of its own: what a long piece of work
     * reports as it goes (a replication's lag every few seconds, for days, would be thousands of spans).
     */
    public static void continuing(String traceparent, Runnable work) {
        if (!valid(traceparent)) {
            work.run();
            return;
        }
        SpanContext parent = remote(traceparent);
        try (Scope ignored = Context.root().with(Span.wrap(parent)).makeCurrent()) {
            LogContext.with(LogContext.TRACE_ID, parent.getTraceId(), work);
        }
    }

    /**
     * Records a span that already happened, from {@code start} to {@code end} (a saga step, measured by its records), as
     * a child of {@code traceparent}.
     */
    public static void record(String traceparent, String name, Instant start, Instant end, Map<String, String> attributes) {
        SpanBuilder builder = tracer.spanBuilder(name).setStartTimestamp(start);
        attributes.forEach(builder::setAttribute);
        start(builder, traceparent).end(end);
    }

    /** The traceparent of the span running now, to store and carry on later ({@code null} outside a span). */
    public static String current() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? "00-" + span.getTraceId() + "-" + span.getSpanId() + "-01" : null;
    }

    /** The traceparent for a message sent now: a child of the span running now, or the root of a new trace. */
    public static String next() {
        String current = current();
        if (current != null) {
            return current;
        }
        return "00-" + IDS.generateTraceId() + "-" + IDS.generateSpanId() + "-01";
    }

    private static Span start(SpanBuilder builder, String traceparent) {
        if (valid(traceparent)) {
            builder.setParent(Context.root().with(Span.wrap(remote(traceparent))));
        } else {
            builder.setNoParent();
        }
        Object migration = MDC.get(LogContext.MIGRATION_ID);
        if (migration != null) {
            builder.setAttribute(MIGRATION_ID, migration.toString());
        }
        return builder.startSpan();
    }

    private static SpanContext remote(String traceparent) {
        return SpanContext.createFromRemoteParent(traceparent.substring(3, 35), traceparent.substring(36, 52), TraceFlags.getSampled(),
                TraceState.getDefault());
    }

    private static boolean valid(String traceparent) {
        return traceparent != null && TRACEPARENT.matcher(traceparent).matches();
    }
}
