package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.platform.redis.RedisConnection;
import dev.cutover.stack.Http;
import dev.cutover.stack.LoadDriver;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * After the switch-over: the source follows the target (the way back, replicated from the switch point); a rollback
 * brings traffic back to the source with every write the target took, and leaves nothing behind.
 */
class RollbackIT {

    @Test
    void rollbackBringsEveryWriteTheTargetTookBackToTheSourceFailsNoRequestAndLeavesNothingBehind() throws Exception {
        String env = "rb";
        String domain = "rb.example.com";
        String target = env + "-eu-2";
        Stack.environment(env, domain);
        Stack.seedRedis(env);
        try (Connection c = Stack.connect(env, "main"); Statement s = c.createStatement()) {
            s.execute(DirectWriter.CREATE);
        }
        String id = Stack.start(env, Map.of("strategy", "live", "autoConfirm", true));
        JsonNode completed = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
        assertEquals("completed", completed.path("state").asText(), completed.toPrettyString());
        assertTrue(step(completed, "switch-over").path("detail").asText()
                .contains("DNS changes to make: rb.example.com CNAME rb.apps.localhost -> rb-eu-2.apps.localhost"), completed.toPrettyString());

        // The target serves; a worker writes straight into it, and the router's traffic writes too.
        LoadDriver load = LoadDriver.start(Stack.get().routerUrl(), domain, 40);
        DirectWriter worker = new DirectWriter(target, "main", 1);
        worker.start();
        JsonNode following = awaitWayBack(id);
        assertTrue(step(following, "complete").path("figures").has("reverseLagBytes"), following.toPrettyString());
        // Keys written straight into the target's Redis while it serves.
        try (RedisConnection r = Stack.redis(target, "activity")) {
            for (int i = 0; i < 200; i++) {
                r.call("SET", "worker:" + i, String.valueOf(i), "EX", 3600);
            }
        }
        Stack.sleep(1000);

        var rollback = Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/rollback", null);
        assertEquals(202, rollback.status(), String.valueOf(rollback.body()));
        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
        Stack.sleep(1000);
        worker.finish();
        LoadDriver.Report traffic = load.stop();

        assertEquals("rolled-back", done.path("state").asText(), done.toPrettyString());
        assertEquals(0, traffic.failed(), "failed requests: " + traffic.failures());
        assertEquals(env + "@eu-1", Stack.HTTP.send("GET", Stack.get().routerUrl() + "/stats", null, Map.of("Host", domain))
                .orThrow().header("X-Served-By"));
        // Every write acknowledged while the target served, during the rollback and after it, is on the source.
        assertEquals(traffic.ackedWrites().size(), Stack.customersAmong(env, traffic.ackedWrites()));
        assertTrue(worker.acked.size() > 10, "the worker wrote on the target: " + worker.acked.size());
        assertEquals(worker.acked.size(), DirectWriter.count(env, "main", 1, worker.acked), "the worker's writes on the source");
        // The fenced target refused the worker loudly, and the worker then wrote on... nothing: it was told.
        assertTrue(worker.errors.stream().anyMatch(e -> e.startsWith("57P01") || e.startsWith("25006") || e.startsWith("08")
                || e.startsWith("3D000")), worker.errors.toString());
        DirectWriter.insert(env, "main", 2); // the source takes writes again
        // Redis too: every customer acknowledged and every key written on the target is in the source's store, which takes
        // writes again; the source's cache, left while the target served, is emptied.
        try (RedisConnection r = Stack.redis(env, "activity"); RedisConnection cache = Stack.redis(env, "cache")) {
            assertEquals("master", r.info("replication").get("role"), "the source's Redis follows nothing any more");
            List<Object> exists = r.pipeline(traffic.ackedWrites().stream().map(c -> new Object[] {"EXISTS", "customer:" + c}).toList());
            assertEquals(traffic.ackedWrites().size(), exists.stream().mapToLong(e -> (Long) e).sum(), "acknowledged customers in Redis");
            for (int i = 0; i < 200; i++) {
                assertEquals(String.valueOf(i), r.string("GET", "worker:" + i), "worker:" + i);
            }
            assertEquals("OK", r.call("SET", "after-rollback", "1"));
            assertEquals(0L, cache.call("DBSIZE"), "a rollback empties the source's cache");
        }

        JsonNode source = Stack.HTTP.get(Stack.platform() + "/environments/" + env).orThrow().body();
        assertFalse(source.path("flags").path("frozen").asBoolean(), "the source can change again");
        assertTrue(source.path("flags").path("default").asBoolean(), "the source is the default again");
        assertEquals("completed", step(done, "rollback").path("status").asText());
        assertEquals(404, Stack.HTTP.get(Stack.platform() + "/environments/" + target).status(), "the target is removed");
        assertEquals(List.of(), leftovers(id, env), "no slot, publication or subscription of the migration is left on either server");
        assertEquals(409, Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/rollback", null).status(), "only once");
        awaitHistory(id, "rollback switch point verified");
    }

    @Test
    void finalizeLeavesNothingOfTheSourceEndsItsForwardingAndRefusesARollbackFromThenOn() throws Exception {
        String env = "fin";
        Stack.environment(env, "fin.example.com");
        String id = Stack.start(env, Map.of("strategy", "live", "autoConfirm", true));
        JsonNode completed = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
        assertEquals("completed", completed.path("state").asText(), completed.toPrettyString());
        assertFalse(completed.path("rollbackUntil").isNull(), "a completed migration says until when it can roll back");
        assertFalse(completed.path("finalizeAt").isNull(), "and when its source is removed");
        awaitWayBack(id);
        String[] database;
        try (Connection c = Stack.connect(env, "main"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select current_database(), current_user")) {
            rs.next();
            database = new String[] {rs.getString(1), rs.getString(2)};
        }
        String sourceApp = Stack.HTTP.get(Stack.platform() + "/environments/" + env).orThrow().body().path("backendUrl").asText();
        assertEquals(200, served("fin.apps.localhost").status(), "until finalize, the old address forwards to the target");

        var finalizing = Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/finalize", null);
        assertEquals(202, finalizing.status(), String.valueOf(finalizing.body()));
        assertEquals("finalizing", finalizing.body().path("state").asText());
        JsonNode finalized = Stack.awaitState(id, s -> s.equals("finalized") || s.equals("needs-attention"), Duration.ofSeconds(60));
        assertEquals("finalized", finalized.path("state").asText(), finalized.toPrettyString());
        assertEquals("completed", step(finalized, "finalize").path("status").asText(), finalized.toPrettyString());

        assertEquals(404, Stack.HTTP.get(Stack.platform() + "/environments/" + env).status(), "the source is forgotten by the platform");
        assertFalse(answers(sourceApp), "the source's app process is stopped: " + sourceApp);
        try (Connection c = Stack.get().server("eu-1").connect("postgres"); Statement s = c.createStatement()) {
            List<String> left = new ArrayList<>();
            collect(s, "select 'database ' || datname from pg_database where datname = '" + database[0] + "'", "eu-1", left);
            collect(s, "select 'role ' || rolname from pg_roles where rolname = '" + database[1] + "'", "eu-1", left);
            assertEquals(List.of(), left, "the source's databases and roles are dropped");
        }
        assertEquals(List.of(), ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("/redis/fin_activity") || c.contains("/redis/fin_cache")).toList(), "the source's Redis servers are stopped");
        assertEquals(List.of(), leftovers(id, env + "-eu-2"), "no slot, publication or subscription of the migration is left");
        assertEquals(404, served("fin.apps.localhost").status(), "the old address no longer forwards");
        assertEquals("fin-eu-2@eu-2", served("fin.example.com").header("X-Served-By"), "the custom domain still reaches the target");
        var refused = Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/rollback", null);
        assertEquals(409, refused.status());
        assertTrue(refused.body().path("detail").asText().contains("can no longer be rolled back"), String.valueOf(refused.body()));
        assertEquals(409, Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/finalize", null).status(), "only once");
    }

    private static Http.Answer served(String host) {
        return Stack.HTTP.send("GET", Stack.get().routerUrl() + "/stats", null, Map.of("Host", host));
    }

    /** Whether anything listens at {@code url} (an HTTP error is an answer). */
    private static boolean answers(String url) {
        try {
            URI.create(url).toURL().openConnection().getInputStream().close();
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void withoutAWayBackAMigrationIsRefusedBeforeTheFreezeUnlessItIsOneWay() throws Exception {
        String env = "oneway";
        String domain = "oneway.example.com";
        Stack.environment(env, domain);
        List<String> taken = takeEveryReplicationSlot("eu-2");
        try {
            String refused = Stack.start(env, Map.of("strategy", "snapshot", "autoConfirm", true));
            JsonNode failed = Stack.awaitState(refused, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
            assertEquals("failed", failed.path("state").asText(), failed.toPrettyString());
            assertTrue(failed.path("reason").asText().contains("no way back after the switch-over")
                    && failed.path("reason").asText().contains("0 free replication slots, 1 needed"), failed.toPrettyString());
            assertEquals("pending", step(failed, "freeze").path("status").asText(), "refused before any freeze: " + failed.toPrettyString());
            assertEquals(404, Stack.HTTP.get(Stack.platform() + "/environments/" + env + "-eu-2").status(), "the target was removed");

            String oneWay = Stack.start(env, Map.of("strategy", "snapshot", "autoConfirm", true, "oneWay", true));
            JsonNode completed = Stack.awaitState(oneWay, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
            assertEquals("completed", completed.path("state").asText(), completed.toPrettyString());
            assertTrue(completed.path("oneWay").asBoolean(), completed.toPrettyString());
            assertTrue(completed.toString().contains("accepted: the move is one way"), completed.toPrettyString());

            // A one-way move still rolls back, by copying the target back inside the rollback's freeze.
            LoadDriver load = LoadDriver.start(Stack.get().routerUrl(), domain, 20);
            Stack.sleep(1000);
            assertEquals(202, Stack.HTTP.post(Stack.api() + "/migrations/" + oneWay + "/rollback", null).status());
            JsonNode done = Stack.awaitState(oneWay, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
            Stack.sleep(500);
            LoadDriver.Report traffic = load.stop();
            assertEquals("rolled-back", done.path("state").asText(), done.toPrettyString());
            assertEquals(0, traffic.failed(), "failed requests: " + traffic.failures());
            assertEquals(traffic.ackedWrites().size(), Stack.customersAmong(env, traffic.ackedWrites()));
        } finally {
            try (Connection c = Stack.get().server("eu-2").connect("postgres"); Statement s = c.createStatement()) {
                for (String slot : taken) {
                    s.execute("select pg_drop_replication_slot('" + slot + "')");
                }
            }
        }
    }

    /** Waits until the source follows the target: the complete step reports the way back's lag. */
    private static JsonNode awaitWayBack(String id) {
        JsonNode view = Stack.migration(id);
        for (int i = 0; i < 150 && !step(view, "complete").path("detail").asText().contains("the way back"); i++) {
            Stack.sleep(100);
            view = Stack.migration(id);
        }
        assertTrue(step(view, "complete").path("detail").asText().contains("on the source follows the target"), view.toPrettyString());
        return view;
    }

    private static void awaitHistory(String id, String text) {
        JsonNode view = Stack.migration(id);
        for (int i = 0; i < 300 && !view.path("history").toString().contains(text); i++) {
            Stack.sleep(100);
            view = Stack.migration(id);
        }
        assertTrue(view.path("history").toString().contains(text), view.toPrettyString());
    }

    /** The migration's replication slots and subscriptions on the two servers, and its publications in these environments. */
    private static List<String> leftovers(String migrationId, String... environments) throws SQLException {
        String key = "%" + migrationId.replace("-", "") + "%";
        List<String> found = new ArrayList<>();
        for (String server : List.of("eu-1", "eu-2")) {
            try (Connection c = Stack.get().server(server).connect("postgres"); Statement s = c.createStatement()) {
                collect(s, "select 'slot ' || slot_name from pg_replication_slots where slot_name like '" + key + "'", server, found);
                collect(s, "select 'subscription ' || subname from pg_subscription where subname like '" + key + "'", server, found);
            }
        }
        for (String environment : environments) {
            try (Connection c = Stack.connect(environment, "main"); Statement s = c.createStatement()) {
                collect(s, "select 'publication ' || pubname from pg_publication where pubname like '" + key + "'", environment, found);
            }
        }
        return found;
    }

    private static void collect(Statement s, String query, String where, List<String> found) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                found.add(where + ": " + rs.getString(1));
            }
        }
    }

    /** Takes every free replication slot of a server (physical slots cost nothing): a target with no room for the way back. */
    private static List<String> takeEveryReplicationSlot(String server) throws SQLException {
        List<String> taken = new ArrayList<>();
        try (Connection c = Stack.get().server(server).connect("postgres"); Statement s = c.createStatement()) {
            int free;
            try (ResultSet rs = s.executeQuery(
                    "select current_setting('max_replication_slots')::int - (select count(*) from pg_replication_slots)")) {
                rs.next();
                free = rs.getInt(1);
            }
            for (int i = 0; i < free; i++) {
                String name = "rollback_it_taken_" + i;
                s.execute("select pg_create_physical_replication_slot('" + name + "')");
                taken.add(name);
            }
        }
        return taken;
    }

    private static JsonNode step(JsonNode view, String name) {
        for (JsonNode s : view.path("steps")) {
            if (s.path("step").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no step " + name + " in " + view);
    }
}
