package dev.cutover.kit.trace;

import dev.cutover.kit.log.LogContext;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * W3C trace context ({@code traceparent}) carried from each received message to the messages its handling sends, so
 * one migration is one trace across the services: every message keeps the trace id and gets a span id of its own.
 * While work runs within a trace, its trace id is also in the logging MDC ({@link LogContext#TRACE_ID}).
 */
public final class TraceContext {

    private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private TraceContext() {
    }

    /** Runs {@code work} as part of the trace of {@code traceparent} (a new trace if it is absent or malformed). */
    public static void within(String traceparent, Runnable work) {
        String previous = CURRENT.get();
        String current = valid(traceparent) ? traceparent : root();
        CURRENT.set(current);
        try {
            LogContext.with(LogContext.TRACE_ID, current.substring(3, 35), work);
        } finally {
            CURRENT.set(previous);
        }
    }

    /** The traceparent for a message sent now: a child of the current context, or the root of a new trace. */
    public static String next() {
        String current = CURRENT.get();
        return valid(current) ? current.substring(0, 36) + hex(8) + "-01" : root();
    }

    private static boolean valid(String traceparent) {
        return traceparent != null && TRACEPARENT.matcher(traceparent).matches();
    }

    public static String root() {
        return "00-" + hex(16) + "-" + hex(8) + "-01";
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
