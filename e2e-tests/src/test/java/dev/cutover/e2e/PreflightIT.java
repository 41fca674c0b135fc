package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.stack.DemoEnvironment;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each blocker made to happen for real on the local platform: the migration is refused in preflight with that check's
 * reason, and nothing changed (the source's rows and settings, no target).
 */
class PreflightIT {

    @Test
    void anOfflineTargetIsRefused() throws Exception {
        server("eu-off", Map.of("online", false));
        refused("pf-offline", "eu-off", "snapshot", "target-online", "server eu-off is offline");
    }

    @Test
    void aTargetWithoutRoomIsRefused() throws Exception {
        server("eu-full", Map.of("capacity", Map.of("memoryMb", 4096, "diskMb", 20480, "environments", 0)));
        refused("pf-full", "eu-full", "snapshot", "target-has-room", "server eu-full has no room: no environment slot left");
    }

    @Test
    void aTargetWithAnOlderPostgresqlIsRefused() throws Exception {
        // A stand-in: the server declares PostgreSQL 16 (only one PostgreSQL version is installed here).
        server("eu-old", Map.of("declaredPostgresVersion", "16.4"));
        refused("pf-old", "eu-old", "snapshot", "target-postgres-version", "runs PostgreSQL 16.4: a database can't move to an older major version");
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        String env = "pf-cert";
        Stack.environment(env, env + ".example.com");
        String[] expired = DemoEnvironment.selfSigned(Stack.get().workDir(), env + ".example.com", "-30d", 20);
        Stack.HTTP.put(Stack.platform() + "/environments/" + env + "/skeleton", Map.of("domains", List.of(
                Map.of("hostname", env + ".example.com", "certificatePem", expired[0], "privateKeyPem", expired[1])))).orThrow();
        refusedAfterSetup(env, "eu-2", "snapshot", "certificate:pf-cert.example.com", "certificate for pf-cert.example.com expired on");
    }

    @Test
    void aPendingSchemaMigrationIsRefused() throws Exception {
        String env = "pf-schema";
        Stack.environment(env, env + ".example.com");
        // The release's migration 2 is not applied, and the release now leaves migrations to the operator.
        try (Connection c = Stack.connect(env, "main")) {
            c.createStatement().execute("drop index orders_customer_id; delete from schema_migrations where version = 2");
        }
        Stack.HTTP.put(Stack.platform() + "/environments/" + env + "/skeleton",
                Map.of("envVars", Map.of("MIGRATIONS", "manual"))).orThrow();
        Stack.HTTP.post(Stack.platform() + "/environments/" + env + "/stop", null).orThrow();
        Stack.HTTP.post(Stack.platform() + "/environments/" + env + "/start", null).orThrow();
        refusedAfterSetup(env, "eu-2", "snapshot", "no-pending-schema-migrations",
                "pf-schema has 1 pending schema migration (2 index orders by customer): run them before moving");
    }

    @Test
    void aTableWithoutPrimaryKeyIsRefusedForLiveAndNamed() throws Exception {
        String env = "pf-nopk";
        Stack.environment(env, env + ".example.com");
        try (Connection c = Stack.connect(env, "main")) {
            c.createStatement().execute("create table audit_log (at timestamptz default now(), line text); insert into audit_log (line) values ('x')");
        }
        refusedAfterSetup(env, "eu-2", "live", "tables-replicable", "main.public.audit_log");
    }

    @Test
    void aTableOwnedByAnotherRoleIsRefusedAndNamed() throws Exception {
        String env = "pf-owner";
        Stack.environment(env, env + ".example.com");
        String database;
        String login;
        try (Connection c = Stack.connect(env, "main");
             var rs = c.createStatement().executeQuery("select current_database(), current_user")) {
            rs.next();
            database = rs.getString(1);
            login = rs.getString(2);
        }
        // The login may read the table (so a snapshot could copy it) but not publish it: that takes its owner.
        try (Connection c = Stack.get().server("eu-1").connect(database)) {
            c.createStatement().execute("create role pf_other; create table public.ledger (id int primary key);"
                    + " alter table public.ledger owner to pf_other; grant select on public.ledger to " + login);
        }
        refusedAfterSetup(env, "eu-2", "live", "privileges", "main: table public.ledger (owned by pf_other) can't be published");
    }

    @Test
    void aPlanReportsTheChecksAndStepsAndCreatesNothing() {
        String env = "pf-plan";
        Stack.environment(env, env + ".example.com");
        JsonNode plan = Stack.HTTP.post(Stack.api() + "/plans", Map.of("environment", env, "targetServer", "eu-2",
                "strategy", "snapshot", "switchOverAt", "2030-01-01T22:00:00Z", "switchOverUntil", "2030-01-01T23:00:00Z")).orThrow().body();
        assertEquals("planned", plan.path("state").asText(), plan.toPrettyString());
        assertEquals(java.time.Instant.parse("2030-01-01T22:00:00Z"), java.time.OffsetDateTime.parse(plan.path("switchOverAt").asText())
                .toInstant(), "the plan shows the window it was asked with: " + plan);
        assertEquals(java.time.Instant.parse("2030-01-01T23:00:00Z"), java.time.OffsetDateTime.parse(plan.path("switchOverUntil").asText())
                .toInstant());
        // Its Redis store is named among the addons, its cache as not copied.
        String addons = plan.path("checks").findValues("reason").stream().map(JsonNode::asText).filter(r -> r.startsWith("every addon"))
                .findFirst().orElse("");
        assertTrue(addons.contains("activity: redis store") && addons.contains("Redis cache cache is not copied"), addons);
        assertTrue(plan.path("checks").size() >= 8, plan.toPrettyString());
        assertEquals("preflight", plan.path("steps").get(0).asText());
        assertEquals(404, Stack.HTTP.get(Stack.platform() + "/environments/" + env + "-eu-2").status());
        assertEquals(0, Stack.HTTP.get(Stack.api() + "/migrations?environment=" + env).orThrow().body().size(),
                "a plan is not a migration");
    }

    private static void server(String name, Map<String, Object> overrides) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("region", "eu", "postgresHost", "127.0.0.1",
                "postgresPort", Stack.get().server("eu-2").port(),
                "capacity", Map.of("memoryMb", 4096, "diskMb", 20480, "environments", 20)));
        body.putAll(overrides);
        Stack.HTTP.put(Stack.platform() + "/servers/" + name, body).orThrow();
    }

    private static void refused(String env, String target, String strategy, String check, String reason) throws Exception {
        Stack.environment(env, env + ".example.com");
        refusedAfterSetup(env, target, strategy, check, reason);
    }

    private static void refusedAfterSetup(String env, String target, String strategy, String check, String reason) throws Exception {
        Map<String, String> rows = Stack.fingerprint(env);
        JsonNode record = record(env);
        long started = System.nanoTime();
        String id = Stack.start(env, Map.of("targetServer", target, "strategy", strategy));
        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(60));

        assertEquals("preflight-failed", done.path("state").asText(), done.toPrettyString());
        assertTrue(done.path("reason").asText().contains(reason), done.path("reason").asText());
        JsonNode failed = null;
        for (JsonNode c : done.path("preflight")) {
            if (c.path("id").asText().equals(check)) {
                failed = c;
            }
        }
        assertTrue(failed != null && failed.path("outcome").asText().equals("fail"), check + " in " + done.path("preflight"));
        assertTrue(failed.path("reason").asText().contains(reason), failed.toString());
        System.out.printf("[preflight] %s refused in %d ms: %s%n", env, (System.nanoTime() - started) / 1_000_000, failed.path("reason").asText());

        assertEquals(rows, Stack.fingerprint(env), "the source's rows changed");
        assertEquals(record, record(env), "the source's settings changed");
        assertEquals(404, Stack.HTTP.get(Stack.platform() + "/environments/" + env + "-" + target).status(), "a target was created");
    }

    private static JsonNode record(String env) {
        JsonNode view = Stack.HTTP.get(Stack.platform() + "/environments/" + env).orThrow().body().deepCopy();
        view.path("databases").forEach(d -> ((ObjectNode) d).remove("sizeBytes"));
        return view;
    }

}
