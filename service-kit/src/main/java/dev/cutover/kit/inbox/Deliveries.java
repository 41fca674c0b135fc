package dev.cutover.kit.inbox;

import dev.cutover.contracts.CloudEvent;
import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Message;
import dev.cutover.contracts.MigrationMessage;
import dev.cutover.kit.log.LogContext;
import dev.cutover.kit.trace.TraceContext;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.lang.reflect.Method;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What every {@code @Incoming} method does, so that a service only writes {@code on(SomeCommand)} methods: read the
 * envelope; in one transaction, record the message in the inbox (a redelivery stops there) and hand it to the service's
 * method for its type, within the message's trace (what the service sends carries it on). What the service changes and
 * the messages it sends commit together with the inbox row, or not at all. Every line logged meanwhile carries the migration id (for a
 * message about a migration) and the trace id in the MDC; one line says the message was handled, by type and id, never
 * its data. A message that fails is counted ({@code cutover_messages_dead_lettered_total}) and the failure rethrown, so
 * the connector's dead-letter strategy sends it to the dead-letter topic with the reason, and the consumer goes on.
 */
@ApplicationScoped
public class Deliveries {

    private static final Logger LOG = Logger.getLogger(Deliveries.class);
    private static final int CONFLICT_ATTEMPTS = 5;

    @Inject
    MeterRegistry metrics;

    @Inject
    Inbox inbox;

    @ConfigProperty(name = "quarkus.application.name")
    String consumer;

    /**
     * Delivers a record of {@code channel} to {@code handler}'s {@code on} method for its message type. A transaction the
     * database rolled back for a conflict with another (a deadlock, a serialization failure) is run again, a few times;
     * one that failed because the database was not there (restarting, unreachable) is run again until it is, for up to
     * {@link #UNAVAILABLE_FOR}: handlers are idempotent, the inbox skips one that did commit, and neither says anything
     * about the message.
     */
    public void deliver(String channel, String value, Object handler) {
        Handlers handlers = Handlers.of(handler);
        handle(channel, value, (id, message) -> {
            Method on = handlers.methodFor(message, consumer);
            long givenUpAt = System.nanoTime() + UNAVAILABLE_FOR.toNanos();
            for (int attempt = 1; ; attempt++) {
                try {
                    QuarkusTransaction.requiringNew().run(() -> {
                        if (inbox.firstDelivery(consumer, id)) {
                            Handlers.invoke(on, handler, id, message);
                        }
                    });
                    return;
                } catch (RuntimeException e) {
                    if (conflict(e) && attempt < CONFLICT_ATTEMPTS) {
                        LOG.infof("%s on %s rolled back by a conflict with another transaction (%s); running it again (attempt %d of %d)",
                                id, channel, e.getMessage(), attempt + 1, CONFLICT_ATTEMPTS);
                        pause(20L << attempt);
                    } else if (unavailable(e) && System.nanoTime() < givenUpAt) {
                        LOG.warnf("%s on %s: the database is not there (%s); running it again", id, channel, e.getMessage());
                        pause(Math.min(100L << Math.min(attempt, 5), 2000));
                    } else {
                        throw e;
                    }
                }
            }
        });
    }

    /** How long a delivery waits for its database to come back (a restart takes seconds) before it is dead-lettered. */
    static final java.time.Duration UNAVAILABLE_FOR = java.time.Duration.ofSeconds(60);

    /**
     * A database was not there: a connection failure (SQLSTATE class 08) or a server shutting down or starting up
     * (57P01, 57P02, 57P03), anywhere in the cause chain. Also what a service asks of an environment's database.
     */
    public static boolean unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || java.util.Set.of("57P01", "57P02", "57P03").contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** A deadlock or serialization failure (SQLSTATE 40P01, 40001) anywhere in the cause chain. */
    static boolean conflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void handle(String channel, String value, BiConsumer<String, Message> service) {
        try {
            CloudEvent event = Envelopes.decode(value);
            Message message = Envelopes.payload(event);
            Object migrationId = message instanceof MigrationMessage about ? about.migrationId() : null;
            LogContext.withMigration(migrationId, () -> TraceContext.within(event.traceparent(), "on " + message.getClass().getSimpleName(), () -> {
                long started = System.nanoTime();
                try {
                    service.accept(event.id(), message);
                } catch (RuntimeException e) {
                    LOG.warnf("%s %s on %s failed, to the dead letters: %s", event.type(), event.id(), channel, e.getMessage());
                    throw e;
                }
                LOG.infof("handled %s %s in %d ms", event.type(), event.id(), (System.nanoTime() - started) / 1_000_000);
            }));
        } catch (RuntimeException e) {
            metrics.counter("cutover.messages.dead.lettered", "channel", channel).increment();
            throw e;
        }
    }
}
