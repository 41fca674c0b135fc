package dev.cutover.kit.log;

import org.jboss.logging.MDC;

/**
 * What every log line says it is about: the {@code migrationId} and the {@code traceId} in the logging MDC, which the
 * JSON console format writes as top-level fields of each line ({@code quarkus.log.console.json.mdc.flat-fields}).
 * Values are set around a piece of work and the previous ones restored after it, so nothing leaks to the next message
 * or request handled on the same thread. Only identifiers go here, never a message's data.
 */
public final class LogContext {

    /** MDC key of the migration a line is about. */
    public static final String MIGRATION_ID = "migrationId";
    /** MDC key of the W3C trace id (32 hex digits) of the message or request being handled. */
    public static final String TRACE_ID = "traceId";

    private LogContext() {
    }

    /** Runs {@code work} with {@code key} set to {@code value} (nothing is set for {@code null}), then restores the key. */
    public static void with(String key, String value, Runnable work) {
        if (value == null) {
            work.run();
            return;
        }
        Object previous = MDC.put(key, value);
        try {
            work.run();
        } finally {
            restore(key, previous);
        }
    }

    /** Runs {@code work} with every line it logs carrying {@code migrationId} ({@code null}: as it is). */
    public static void withMigration(Object migrationId, Runnable work) {
        with(MIGRATION_ID, migrationId == null ? null : migrationId.toString(), work);
    }

    /** Puts {@code key} back to {@code previous}, or removes it if it was absent. */
    public static void restore(String key, Object previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
