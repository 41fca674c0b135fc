package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.contracts.Topics;
import dev.cutover.platform.redis.RedisConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Abort at each step before the switch-over, and a failed step: the source ends exactly as it was, nothing of the target is left. */
class AbortIT {

    @ParameterizedTest(name = "abort during {0}")
    @ValueSource(strings = {"preflight", "prepare", "sync", "verify", "awaiting-confirmation"})
    void abortLeavesTheSourceUntouchedAndNothingOfTheTarget(String step) throws Exception {
        String env = "abort-" + step.replace("awaiting-confirmation", "gate");
        Stack.environment(env, env + ".example.com");
        Before before = Before.of(env);

        String id = Stack.start(env, Map.of());
        awaitStepRunning(id, step);
        var answer = Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/abort", null);
        assertEquals(202, answer.status(), String.valueOf(answer.body()));
        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(60));

        assertEquals("aborted", done.path("state").asText(), done.toPrettyString());
        before.assertUnchanged();
        assertTargetGone(env + "-eu-2");
    }

    @Test
    void abortingALiveMigrationWhileItReplicatesLeavesNoSlotOrPublicationOnTheSource() throws Exception {
        String env = "abort-live";
        Stack.environment(env, env + ".example.com");
        Before before = Before.of(env);

        String id = Stack.start(env, Map.of("strategy", "live"));
        awaitStepRunning(id, "awaiting-confirmation");
        assertEquals(1, replicationObjects(env), "the live sync replicates through a slot and a publication");
        Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/abort", null).orThrow();
        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(60));

        assertEquals("aborted", done.path("state").asText(), done.toPrettyString());
        assertEquals(0, replicationObjects(env), "an orphaned slot would fill the source's disk");
        before.assertUnchanged();
        assertTargetGone(env + "-eu-2");
    }

    /** Replication slots on the source's database, plus its publications. */
    static int replicationObjects(String env) throws Exception {
        try (Connection c = Stack.connect(env, "main"); ResultSet rs = c.createStatement().executeQuery(
                "select (select count(*) from pg_replication_slots where database = current_database()), (select count(*) from pg_publication)")) {
            rs.next();
            assertEquals(rs.getInt(1), rs.getInt(2), "slots and publications come in pairs");
            return rs.getInt(1);
        }
    }

    @Test
    void aFailedStepIsCompensatedLikeAnAbortAndTheMigrationSaysWhy() throws Exception {
        String env = "clash";
        Stack.environment(env, "clash.example.com");
        // Another environment already has the target's name: provisioning must fail, and must not destroy it.
        Stack.HTTP.post(Stack.platform() + "/environments", Map.of("name", "clash-eu-2", "owner", "someone-else",
                "server", "eu-1", "plan", Map.of("size", "S", "ha", false))).orThrow();
        Before before = Before.of(env);

        String id = Stack.start(env, Map.of());
        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(60));

        assertEquals("failed", done.path("state").asText(), done.toPrettyString());
        assertTrue(done.path("reason").asText().contains("clash-eu-2 already exists"), done.path("reason").asText());
        before.assertUnchanged();
        assertEquals(200, Stack.HTTP.get(Stack.platform() + "/environments/clash-eu-2").status(),
                "an environment the migration did not create is never destroyed by its compensation");
    }

    @Test
    void aCompensationThatKeepsFailingIsRetriedThenNeedsAttentionAndARepairFinishesTheAbort() throws Exception {
        String env = "stuck";
        String target = env + "-eu-2";
        Stack.environment(env, "stuck.example.com");
        Before before = Before.of(env);
        String id = Stack.start(env, Map.of("strategy", "snapshot"));
        assertEquals("awaiting-confirmation", Stack.awaitState(id, s -> s.equals("awaiting-confirmation") || Stack.TERMINAL.contains(s),
                Duration.ofSeconds(60)).path("state").asText());
        // The platform now refuses to destroy the target: its compensation fails until a person lifts the protection.
        Stack.HTTP.send("PATCH", Stack.platform() + "/environments/" + target + "/flags", Map.of("protected", true), Map.of()).orThrow();

        assertEquals(202, Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/abort", null).status());
        JsonNode stuck = Stack.awaitState(id, s -> s.equals("needs-attention") || Stack.TERMINAL.contains(s), Duration.ofSeconds(60));
        assertEquals("needs-attention", stuck.path("state").asText(), stuck.toPrettyString());
        String reason = stuck.path("reason").asText();
        assertTrue(reason.contains("compensation of prepare failed 5 times") && reason.contains("is protected")
                && reason.contains("cutover repair " + id), reason);
        assertTrue(stuck.path("history").toString().contains("(attempt 4 of 5)"), "retried before asking: " + stuck.toPrettyString());
        assertEquals(409, Stack.HTTP.post(Stack.api() + "/migrations", Map.of("environment", env, "targetServer", "eu-2")).status(),
                "a migration that needs attention still holds its environment");

        Stack.HTTP.send("PATCH", Stack.platform() + "/environments/" + target + "/flags", Map.of("protected", false), Map.of()).orThrow();
        assertEquals(200, Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/repair", null).status());
        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(60));
        assertEquals("aborted", done.path("state").asText(), done.toPrettyString());
        assertTargetGone(target);
        before.assertUnchanged();
    }

    /** Waits until the migration's {@code step} has started (or, for the gate, until it waits for confirmation). */
    private static void awaitStepRunning(String id, String step) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (ProgressRecorder.Seen s : Stack.recorder().about(id)) {
                if (!s.topic().equals(Topics.MIGRATION_PROGRESS)) {
                    continue;
                }
                JsonNode d = s.event().data();
                boolean running = d.path("step").asText().equals(step) && d.path("status").asText().equals("running");
                boolean gate = d.path("to").asText().equals(step);
                if (running || gate) {
                    return;
                }
            }
            Stack.sleep(5);
        }
        throw new AssertionError("step " + step + " of " + id + " never started");
    }

    private static void assertTargetGone(String target) throws Exception {
        assertEquals(404, Stack.HTTP.get(Stack.platform() + "/environments/" + target).status(), "target environment left behind");
        String database = (target + "_main").replace('-', '_');
        try (Connection c = Stack.get().server("eu-2").connect("postgres");
             PreparedStatement q = c.prepareStatement("select count(*) from pg_database where datname = ?")) {
            q.setString(1, database);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1), "target database left behind on eu-2");
            }
        }
        String redisDir = "/redis/" + target.replace('-', '_') + "_";
        assertEquals(List.of(), ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(redisDir)).orElse(false))
                .map(p -> p.info().commandLine().orElse("")).toList(), "Redis servers of the target left behind");
        JsonNode routes = Stack.HTTP.get(Stack.get().url(dev.cutover.stack.LocalStack.Service.TRAFFIC) + "/routes").orThrow().body();
        routes.forEach(r -> assertFalse(r.path("environment").asText().equals(target), "route to the target left: " + r));
    }

    /**
     * The source as it was: its rows, every key of its Redis store and cache, its platform record (settings, flags,
     * release, status), and who answers its domain.
     */
    private record Before(String env, Map<String, String> rows, Map<String, String> keys, Map<String, String> cached, JsonNode record,
                          String servedBy) {
        static Before of(String env) throws Exception {
            // Asked first: the app counts each request it serves in its Redis store.
            String servedBy = servedBy(env);
            Map<String, String> rows = Stack.fingerprint(env);
            Stack.seedRedis(env);
            return new Before(env, rows, Stack.redisFingerprint(env, "activity"), Stack.redisFingerprint(env, "cache"), record(env),
                    servedBy);
        }

        void assertUnchanged() throws Exception {
            assertEquals(rows, Stack.fingerprint(env), "the source's rows changed");
            assertEquals(keys, Stack.redisFingerprint(env, "activity"), "the source's Redis store changed");
            assertEquals(cached, Stack.redisFingerprint(env, "cache"), "the source's Redis cache changed");
            try (RedisConnection r = Stack.redis(env, "activity")) {
                Map<String, String> replication = r.info("replication");
                assertEquals("master", replication.get("role"), "the source's Redis follows nothing");
                assertEquals("0", replication.get("connected_slaves"), "nothing replicates from the source's Redis any more");
            }
            assertEquals(record, record(env), "the source's settings changed");
            assertEquals(servedBy, servedBy(env), "the source no longer serves its domain");
        }

        private static JsonNode record(String env) {
            JsonNode view = Stack.HTTP.get(Stack.platform() + "/environments/" + env).orThrow().body().deepCopy();
            view.path("databases").forEach(d -> ((ObjectNode) d).remove("sizeBytes"));
            return view;
        }

        private static String servedBy(String env) {
            return Stack.HTTP.send("GET", Stack.get().routerUrl() + "/stats", null, Map.of("Host", env + ".example.com"))
                    .orThrow().header("X-Served-By");
        }
    }
}
