package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.stack.LoadDriver;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Writers that don't come through the router, straight into the source's two databases (on one server), during a
 * {@code live} switch-over under HTTP load: the fence refuses them with an error, nothing they committed is lost, the
 * source stays fenced afterwards; and a switch-over that fails lifts the fence.
 */
class WriteFenceIT {

    @Test
    void directWritersAreFencedAtTheDatabaseLoseNothingAndTheSourceStaysFencedWhileTwoDatabasesMoveLive() throws Exception {
        String env = "fenced";
        String domain = "fenced.example.com";
        Stack.environment(env, domain);
        Stack.HTTP.post(Stack.platform() + "/environments/" + env + "/databases", Map.of("name", "events", "kind", "postgresql")).orThrow();
        for (String db : List.of("main", "events")) {
            try (Connection c = Stack.connect(env, db); Statement s = c.createStatement()) {
                s.execute(DirectWriter.CREATE);
            }
        }
        LoadDriver load = LoadDriver.start(Stack.get().routerUrl(), domain, 40);
        List<DirectWriter> writers = List.of(new DirectWriter(env, "main", 1), new DirectWriter(env, "main", 2),
                new DirectWriter(env, "events", 3));
        writers.forEach(Thread::start);
        Stack.sleep(1000);

        String id = Stack.start(env, Map.of("strategy", "live", "autoConfirm", true));
        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(120));
        Stack.sleep(500);
        for (DirectWriter w : writers) {
            w.finish();
        }
        LoadDriver.Report traffic = load.stop();

        assertEquals("completed", done.path("state").asText(), done.toPrettyString());
        assertEquals(0, traffic.failed(), "failed requests through the router: " + traffic.failures());
        for (DirectWriter w : writers) {
            assertTrue(w.acked.size() > 10, "writer " + w.writer + " wrote before the switch-over: " + w.acked.size());
            // Refused with an error (its session ended, then read-only), never silently dropped.
            assertTrue(w.errors.stream().anyMatch(e -> e.startsWith("57P01") || e.startsWith("08")), "writer " + w.writer + ": " + w.errors);
            assertTrue(w.errors.stream().anyMatch(e -> e.startsWith("25006")), "writer " + w.writer + ": " + w.errors);
            // Every write the source acknowledged is on the target.
            assertEquals(w.acked.size(), DirectWriter.count(env + "-eu-2", w.database, w.writer, w.acked), "writer " + w.writer + "'s writes on the target");
            assertEquals(w.acked.size(), DirectWriter.count(env, w.database, w.writer, w.acked), "writer " + w.writer + "'s writes on the source");
        }
        assertEquals(traffic.ackedWrites().size(), Stack.customersAmong(env + "-eu-2", traffic.ackedWrites()));
        // Both databases, table by table, equal: the source has not moved since the switch point, and only the router's
        // traffic (customers) wrote on the target after it.
        assertEquals(Stack.fingerprint(env, "events"), Stack.fingerprint(env + "-eu-2", "events"));
        Map<String, String> source = Stack.fingerprint(env);
        Map<String, String> target = Stack.fingerprint(env + "-eu-2");
        source.remove("public.customers");
        target.remove("public.customers");
        assertEquals(source, target);

        // The source stays fenced: a stale writer fails loudly instead of writing where nobody reads.
        for (String db : List.of("main", "events")) {
            SQLException refused = assertThrows(SQLException.class, () -> DirectWriter.insert(env, db, 9));
            assertEquals("25006", refused.getSQLState(), refused.getMessage());
        }
        DirectWriter.insert(env + "-eu-2", "main", 9);

        // The whole state at the switch point is proven after the release, and says so in the history.
        Stack.awaitSwitchPointVerified(id);
        assertTrue(figure(done, "final-sync", "fenceMillis") >= 0, done.toPrettyString());
    }

    @Test
    void aSwitchOverThatFailsLiftsTheFenceAndTheSourceTakesWritesAgain() throws Exception {
        String env = "unfenced";
        String domain = "unfenced.example.com";
        Stack.environment(env, domain);
        LoadDriver load = LoadDriver.start(Stack.get().routerUrl(), domain, 20);
        String id = Stack.start(env, Map.of("strategy", "live"));
        JsonNode waiting = Stack.awaitState(id, s -> s.equals("awaiting-confirmation") || Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
        assertEquals("awaiting-confirmation", waiting.path("state").asText(), waiting.toPrettyString());
        // A table the replication doesn't carry: the final sync, inside the fence, refuses to switch.
        try (Connection c = Stack.connect(env, "main"); Statement s = c.createStatement()) {
            s.execute(DirectWriter.CREATE);
        }

        Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/confirm", null).orThrow();
        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
        Stack.sleep(500);
        LoadDriver.Report traffic = load.stop();

        assertEquals("failed", done.path("state").asText(), done.toPrettyString());
        assertTrue(done.path("reason").asText().contains("created on the source during the sync")
                || done.path("history").toString().contains("created on the source during the sync"), done.toPrettyString());
        DirectWriter.insert(env, "main", 1); // the source takes writes again
        assertEquals(0, traffic.failed(), "failed requests: " + traffic.failures());
    }

    private static long figure(JsonNode view, String step, String figure) {
        for (JsonNode s : view.path("steps")) {
            if (s.path("step").asText().equals(step)) {
                return s.path("figures").path(figure).asLong(-1);
            }
        }
        return -1;
    }
}
