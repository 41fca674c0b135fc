package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A paused live migration replicates nothing while its source takes writes, resumes where it stopped, and loses nothing. */
class PauseIT {

    @Test
    void pauseAndResumeUnderWriteLoadLoseNothing() throws Exception {
        String env = "paused";
        Stack.environment(env, "paused.example.com");
        try (Connection c = Stack.connect(env, "main"); Statement s = c.createStatement()) {
            s.execute(DirectWriter.CREATE);
        }
        DirectWriter writer = new DirectWriter(env, "main", 1);
        writer.start();
        String id = Stack.start(env, Map.of("strategy", "live"));
        JsonNode ready = Stack.awaitState(id, s -> s.equals("awaiting-confirmation") || Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
        assertEquals("awaiting-confirmation", ready.path("state").asText(), ready.toPrettyString());

        var paused = Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/pause", null);
        assertEquals(200, paused.status(), String.valueOf(paused.body()));
        assertEquals("paused", paused.body().path("state").asText());
        awaitHistory(id, "paused: the targets apply nothing");
        assertFalse(subscriptionEnabled(env + "-eu-2"), "the target's subscription is disabled");
        long before = rows(env + "-eu-2");
        Stack.sleep(1500);
        assertEquals(before, rows(env + "-eu-2"), "a paused target applies nothing while the source takes writes");
        assertTrue(rows(env) > before, "the source kept taking writes");
        assertEquals(409, Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/confirm", null).status(), "no switch-over while paused");

        var resumed = Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/resume", null);
        assertEquals(200, resumed.status(), String.valueOf(resumed.body()));
        assertEquals("awaiting-confirmation", resumed.body().path("state").asText());
        awaitHistory(id, "resumed: the targets catch up");
        assertTrue(subscriptionEnabled(env + "-eu-2"));
        for (int i = 0; i < 100 && rows(env + "-eu-2") <= before; i++) {
            Stack.sleep(100);
        }
        assertTrue(rows(env + "-eu-2") > before, "the target catches up from where it stopped");

        Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/confirm", null).orThrow();
        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
        writer.finish();
        assertEquals("completed", done.path("state").asText(), done.toPrettyString());
        assertTrue(writer.acked.size() > 10, "the writer wrote throughout: " + writer.acked.size());
        assertEquals(writer.acked.size(), DirectWriter.count(env + "-eu-2", "main", 1, writer.acked), "every acknowledged write is on the target");
    }

    private static long rows(String environment) throws SQLException {
        try (Connection c = Stack.connect(environment, "main"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from direct_write")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean subscriptionEnabled(String target) throws SQLException {
        String database;
        try (Connection c = Stack.connect(target, "main"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select current_database()")) {
            rs.next();
            database = rs.getString(1);
        }
        try (Connection c = Stack.get().server("eu-2").connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select bool_and(subenabled) from pg_subscription"
                     + " where subdbid = (select oid from pg_database where datname = current_database())")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void awaitHistory(String id, String text) {
        JsonNode view = Stack.migration(id);
        for (int i = 0; i < 100 && !view.path("history").toString().contains(text); i++) {
            Stack.sleep(100);
            view = Stack.migration(id);
        }
        assertTrue(view.path("history").toString().contains(text), view.path("history").toPrettyString());
    }
}
