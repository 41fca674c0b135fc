package dev.cutover.kit.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Message;
import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.migration.MigrationRequested;
import dev.cutover.contracts.preflight.RunPreflight;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.logging.json.runtime.JsonFormatter;
import io.quarkus.logging.json.runtime.JsonLogConfig;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every line logged while a message about a migration is handled carries its migration id and trace id, as fields of
 * the JSON line the services write when packaged (the same formatter and flat MDC as their application.properties),
 * and nothing of the message's data; nothing of it stays behind for the next message.
 */
class DeliveriesLogTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
    private static final Logger SERVICE_LOG = Logger.getLogger("dev.cutover.test.service");

    private final List<JsonNode> lines = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Deliveries deliveries = new Deliveries();
    private Handler capture;

    @BeforeEach
    void captureJsonLines() {
        // The services run on JBoss LogManager (Quarkus; surefire sets it for tests too): its records carry the MDC.
        assertEquals("org.jboss.logmanager.LogManager", LogManager.getLogManager().getClass().getName());
        JsonFormatter json = new JsonFormatter();
        json.setLogFormat(JsonLogConfig.JsonConfig.LogFormat.DEFAULT);
        json.setFlatMdc(true);
        json.setDiscoveredProviders(List.of());
        capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                try {
                    lines.add(Envelopes.json().readTree(json.format(record)));
                } catch (JsonProcessingException e) {
                    throw new AssertionError("not a JSON line: " + json.format(record), e);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger.getLogger("dev.cutover").addHandler(capture);
        deliveries.metrics = metrics;
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("dev.cutover").removeHandler(capture);
    }

    @Test
    void everyLineLoggedWhileAMigrationsMessageIsHandledCarriesItsMigrationIdAndTraceId() {
        UUID migrationId = UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();

        deliveries.handle("commands", envelope(runPreflight(migrationId), messageId),
                (id, message) -> SERVICE_LOG.info("checking " + id));
        SERVICE_LOG.info("after the message");

        JsonNode serviceLine = line("checking " + messageId);
        assertEquals(migrationId.toString(), serviceLine.path("migrationId").asText(), serviceLine.toString());
        assertEquals(TRACE_ID, serviceLine.path("traceId").asText(), serviceLine.toString());
        assertEquals("INFO", serviceLine.path("level").asText());
        JsonNode handled = line("handled dev.cutover.preflight.run.v1 " + messageId + " in ");
        assertEquals(migrationId.toString(), handled.path("migrationId").asText(), handled.toString());
        assertEquals(TRACE_ID, handled.path("traceId").asText(), handled.toString());

        JsonNode after = line("after the message");
        assertTrue(after.path("migrationId").isMissingNode(), after.toString());
        assertTrue(after.path("traceId").isMissingNode(), after.toString());
        assertNull(org.jboss.logging.MDC.get("migrationId"));
    }

    @Test
    void theMessagesDataIsNeverLogged() {
        deliveries.handle("commands", envelope(runPreflight(UUID.randomUUID()), UUID.randomUUID().toString()), (id, message) -> {
        });

        assertFalse(lines.isEmpty());
        lines.forEach(line -> assertFalse(line.toString().contains("environment-named-like-a-secret"), line.toString()));
    }

    @Test
    void aFailureIsLoggedWithTheMigrationIdAndRethrownForTheDeadLetters() {
        UUID migrationId = UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();
        BiConsumer<String, Message> failing = (id, message) -> {
            throw new IllegalStateException("target server eu-2 is offline");
        };

        assertThrows(IllegalStateException.class,
                () -> deliveries.handle("commands", envelope(runPreflight(migrationId), messageId), failing));

        JsonNode failed = line("dev.cutover.preflight.run.v1 " + messageId + " on commands failed, to the dead letters: target server eu-2 is offline");
        assertEquals("WARN", failed.path("level").asText());
        assertEquals(migrationId.toString(), failed.path("migrationId").asText(), failed.toString());
        assertEquals(1.0, metrics.counter("cutover.messages.dead.lettered", "channel", "commands").count());
        assertNull(org.jboss.logging.MDC.get("migrationId"));
        assertNull(org.jboss.logging.MDC.get("traceId"));
    }

    @Test
    void aMessageNotAboutAMigrationCarriesOnlyItsTraceId() {
        String messageId = UUID.randomUUID().toString();

        deliveries.handle("requests", envelope(new MigrationRequested("shop", "eu-2", Strategy.SNAPSHOT, null, false, "portal", null, false, null, null, "acme"), messageId),
                (id, message) -> SERVICE_LOG.info("request " + id));

        JsonNode line = line("request " + messageId);
        assertTrue(line.path("migrationId").isMissingNode(), line.toString());
        assertEquals(TRACE_ID, line.path("traceId").asText());
    }

    private static RunPreflight runPreflight(UUID migrationId) {
        return new RunPreflight(migrationId, "environment-named-like-a-secret", "eu-2", Strategy.SNAPSHOT, false, null, false, null);
    }

    private static String envelope(Message message, String id) {
        return Envelopes.encode(Envelopes.wrap("/cutover/test", message, id, TRACEPARENT));
    }

    /** The line whose message starts with {@code message}. */
    private JsonNode line(String message) {
        return lines.stream().filter(l -> l.path("message").asText().startsWith(message)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + message + "' in " + lines));
    }
}
