package dev.cutover.sampleapp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.stack.Ports;
import dev.cutover.stack.PostgresServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample app against a real PostgreSQL server, spoken to over real HTTP. */
class SampleAppTest {

    private static final String SERVED_BY = "test-env@server-a";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @TempDir
    static Path dir;
    static PostgresServer postgres;
    static SampleApp app;

    private record Reply(int status, JsonNode body, HttpHeaders headers) {
    }

    @BeforeAll
    static void startDatabaseAndApp() throws Exception {
        postgres = PostgresServer.start("sample-app-test", dir.resolve("pg"), Ports.free());
        postgres.createDatabase("shop");
        app = SampleApp.start(env("shop"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (app != null) {
            app.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void healthIsUpWhileTheDatabaseAnswers() throws Exception {
        Reply reply = send(app, "GET", "/health", null);
        assertEquals(200, reply.status());
        assertEquals("UP", reply.body().get("status").asText());
    }

    @Test
    void startMigratesAnEmptyDatabaseAndASecondStartFindsNothingToDo() throws Exception {
        try (SampleApp second = SampleApp.start(env("shop"))) {
            assertEquals(200, send(second, "GET", "/health", null).status());
        }
        try (Connection db = postgres.connect("shop"); Statement statement = db.createStatement()) {
            ResultSet versions = statement.executeQuery("select version, applied_at is not null from schema_migrations order by version");
            for (int version = 1; version <= 2; version++) {
                assertTrue(versions.next());
                assertEquals(version, versions.getInt(1));
                assertTrue(versions.getBoolean(2));
            }
            assertFalse(versions.next(), "each migration is recorded once");
            ResultSet tables = statement.executeQuery(
                    "select count(*) from information_schema.tables where table_schema = 'public' and table_name in ('customers', 'orders')");
            tables.next();
            assertEquals(2, tables.getInt(1));
        }
    }

    @Test
    void withManualMigrationsTheReleaseReportsThemPendingUntilAnOperatorRunsThem() throws Exception {
        postgres.createDatabase("shop_manual");
        Map<String, String> manual = new java.util.HashMap<>(env("shop_manual"));
        manual.put("MIGRATIONS", "manual");
        try (SampleApp release = SampleApp.start(manual)) {
            Reply pending = send(release, "GET", "/schema", null);
            assertEquals(200, pending.status());
            assertEquals(2, pending.body().path("pending").size());
            assertEquals("create customers and orders", pending.body().path("pending").get(0).path("name").asText());

            Reply migrated = send(release, "POST", "/schema/migrate", null);
            assertEquals(0, migrated.body().path("pending").size());
            assertEquals(200, send(release, "GET", "/stats", null).status());
        }
    }

    @Test
    void everyResponseNamesTheEnvironmentAndServerThatAnswered() throws Exception {
        for (String path : new String[] {"/health", "/stats", "/no-such-path", "/customers/999999999"}) {
            assertEquals(SERVED_BY, send(app, "GET", path, null).headers().firstValue("X-Served-By").orElse(null), path);
        }
        assertEquals(SERVED_BY, send(app, "DELETE", "/customers", null).headers().firstValue("X-Served-By").orElse(null));
    }

    @Test
    void customerWrittenIsReadBackEqual() throws Exception {
        Reply created = send(app, "POST", "/customers", "{\"name\":\"Zoë O'Brien\\t🚀\",\"email\":\"zoe@example.test\"}");
        assertEquals(201, created.status());
        assertEquals("Zoë O'Brien\t🚀", created.body().get("name").asText());
        assertEquals("zoe@example.test", created.body().get("email").asText());
        assertTrue(created.body().get("createdAt").asText().endsWith("Z"));

        Reply read = send(app, "GET", "/customers/" + created.body().get("id").asLong(), null);
        assertEquals(200, read.status());
        assertEquals(created.body(), read.body());
    }

    @Test
    void customerWithoutEmailHasNullEmail() throws Exception {
        Reply created = send(app, "POST", "/customers", "{\"name\":\"Ada\"}");
        assertEquals(201, created.status());
        assertTrue(created.body().get("email").isNull());
    }

    @Test
    void customerWithoutNameOrWithBadJsonIsRejectedWith400() throws Exception {
        for (String body : new String[] {"{\"email\":\"a@b.c\"}", "{\"name\":\"  \"}", "{\"name\":42}", "{\"name\":", "[]", "", "{} {}"}) {
            Reply reply = send(app, "POST", "/customers", body);
            assertEquals(400, reply.status(), body);
            assertTrue(reply.body().get("error").isTextual(), body);
        }
    }

    @Test
    void orderWithDecimalBinaryAndTextIsReadBackEqualAndStoredExactly() throws Exception {
        long customerId = newCustomer();
        byte[] receipt = new byte[256];
        for (int i = 0; i < receipt.length; i++) {
            receipt[i] = (byte) i;
        }
        ObjectNode order = JSON.createObjectNode()
                .put("customerId", customerId)
                .put("amount", "9999999999.99")
                .put("note", "ring twice\nthen wait — ☎ \\ \"ok\"")
                .put("receipt", Base64.getEncoder().encodeToString(receipt));

        Reply created = send(app, "POST", "/orders", order.toString());
        assertEquals(201, created.status());
        assertEquals(customerId, created.body().get("customerId").asLong());
        assertEquals("9999999999.99", created.body().get("amount").asText());
        assertEquals(order.get("note"), created.body().get("note"));
        assertEquals(order.get("receipt"), created.body().get("receipt"));
        assertTrue(created.body().get("placedAt").asText().endsWith("Z"));

        long id = created.body().get("id").asLong();
        Reply read = send(app, "GET", "/orders/" + id, null);
        assertEquals(200, read.status());
        assertEquals(created.body(), read.body());

        try (Connection db = postgres.connect("shop");
             PreparedStatement select = db.prepareStatement("select amount::text, note, receipt from orders where id = ?")) {
            select.setLong(1, id);
            ResultSet row = select.executeQuery();
            assertTrue(row.next());
            assertEquals("9999999999.99", row.getString(1));
            assertEquals(order.get("note").asText(), row.getString(2));
            assertArrayEquals(receipt, row.getBytes(3));
        }
    }

    @Test
    void orderAmountSentAsJsonNumberKeepsItsCents() throws Exception {
        Reply created = send(app, "POST", "/orders", "{\"customerId\":" + newCustomer() + ",\"amount\":0.1}");
        assertEquals(201, created.status());
        assertEquals("0.10", created.body().get("amount").asText());
        assertTrue(created.body().get("note").isNull());
        assertTrue(created.body().get("receipt").isNull());
    }

    @Test
    void orderForUnknownCustomerIsRejectedWith422() throws Exception {
        Reply reply = send(app, "POST", "/orders", "{\"customerId\":999999999,\"amount\":\"1.00\"}");
        assertEquals(422, reply.status());
        assertTrue(reply.body().get("error").asText().contains("999999999"));
    }

    @Test
    void orderWithBadInputIsRejectedWith400() throws Exception {
        long customerId = newCustomer();
        String[] bodies = {
            "{\"amount\":\"1.00\"}",
            "{\"customerId\":\"" + customerId + "\",\"amount\":\"1.00\"}",
            "{\"customerId\":" + customerId + "}",
            "{\"customerId\":" + customerId + ",\"amount\":\"twelve\"}",
            "{\"customerId\":" + customerId + ",\"amount\":\"1.005\"}",
            "{\"customerId\":" + customerId + ",\"amount\":\"10000000000\"}",
            "{\"customerId\":" + customerId + ",\"amount\":\"1.00\",\"receipt\":\"not base64!\"}",
            "{\"customerId\":" + customerId + ",\"amount\":\"1.00\",\"note\":7}",
            "not json"};
        for (String body : bodies) {
            Reply reply = send(app, "POST", "/orders", body);
            assertEquals(400, reply.status(), body);
            assertTrue(reply.body().get("error").isTextual(), body);
        }
    }

    @Test
    void unknownRowsAndPathsAre404() throws Exception {
        for (String path : new String[] {"/customers/999999999", "/orders/999999999", "/customers/abc", "/customers/", "/nope"}) {
            Reply reply = send(app, "GET", path, null);
            assertEquals(404, reply.status(), path);
            assertTrue(reply.body().get("error").isTextual(), path);
        }
    }

    @Test
    void wrongMethodIs405WithAllowHeader() throws Exception {
        Reply delete = send(app, "DELETE", "/customers", null);
        assertEquals(405, delete.status());
        assertEquals("POST", delete.headers().firstValue("Allow").orElse(null));
        assertEquals(405, send(app, "GET", "/seed", null).status());
        assertEquals(405, send(app, "POST", "/health", "{}").status());
        assertEquals(405, send(app, "PUT", "/orders/1", "{}").status());
    }

    @Test
    void statsCountRowsExactly() throws Exception {
        Reply before = send(app, "GET", "/stats", null);
        assertEquals(200, before.status());
        assertEquals(countInDatabase("customers"), before.body().get("customers").asLong());
        assertEquals(countInDatabase("orders"), before.body().get("orders").asLong());

        long customerId = newCustomer();
        send(app, "POST", "/orders", "{\"customerId\":" + customerId + ",\"amount\":\"5\"}");
        Reply after = send(app, "GET", "/stats", null);
        assertEquals(before.body().get("customers").asLong() + 1, after.body().get("customers").asLong());
        assertEquals(before.body().get("orders").asLong() + 1, after.body().get("orders").asLong());
    }

    @Test
    void seedAddsCustomersAndOrdersWithVariedDataAndLaterInsertsStillWork() throws Exception {
        JsonNode before = send(app, "GET", "/stats", null).body();
        long lastOrderBefore = maxId("orders");

        Reply seeded = send(app, "POST", "/seed?customers=300&ordersPerCustomer=5", null);
        assertEquals(200, seeded.status());
        assertEquals(before.get("customers").asLong() + 300, seeded.body().get("customers").asLong());
        assertEquals(before.get("orders").asLong() + 1500, seeded.body().get("orders").asLong());
        assertEquals(countInDatabase("orders"), seeded.body().get("orders").asLong());

        try (Connection db = postgres.connect("shop");
             PreparedStatement variety = db.prepareStatement("""
                     select count(*) filter (where o.note is null), count(*) filter (where o.note = ''),
                            count(*) filter (where o.note like E'%\\n%'), count(*) filter (where o.receipt is null),
                            count(*) filter (where octet_length(o.receipt) > 0), count(distinct o.amount),
                            count(*) filter (where o.placed_at < now() - interval '30 days'),
                            count(distinct c.id) filter (where c.email is null),
                            count(distinct c.id) filter (where c.name ~ '[^\\x01-\\x7F]')
                     from orders o join customers c on c.id = o.customer_id where o.id > ?""")) {
            variety.setLong(1, lastOrderBefore);
            ResultSet row = variety.executeQuery();
            assertTrue(row.next());
            for (int column = 1; column <= 9; column++) {
                assertTrue(row.getLong(column) > 0, "seeded data lacks variety in check " + column);
            }
        }

        Reply lastSeededOrder = send(app, "GET", "/orders/" + maxId("orders"), null);
        assertEquals(200, lastSeededOrder.status());
        Reply afterSeed = send(app, "POST", "/customers", "{\"name\":\"After the seed\"}");
        assertEquals(201, afterSeed.status(), "ids reserved by the seed are not handed out again");
        assertEquals(maxId("customers"), afterSeed.body().get("id").asLong());
    }

    @Test
    void seedWithBadParametersIsRejectedWith400() throws Exception {
        for (String query : new String[] {"customers=-1", "customers=ten", "ordersPerCustomer=100000", "customers=1000000&ordersPerCustomer=1000", "customers=1%2B1"}) {
            assertEquals(400, send(app, "POST", "/seed?" + query, null).status(), query);
        }
    }

    @Test
    void killedDatabaseSessionsAreReplacedWithoutFailingRequests() throws Exception {
        assertEquals(200, send(app, "GET", "/stats", null).status());
        try (Connection db = postgres.connect("postgres"); Statement statement = db.createStatement()) {
            ResultSet killed = statement.executeQuery(
                    "select count(*) filter (where pg_terminate_backend(pid, 5000)) from pg_stat_activity where datname = 'shop' and application_name = 'sample-app'");
            killed.next();
            assertTrue(killed.getLong(1) > 0);
        }
        assertEquals(200, send(app, "GET", "/health", null).status());
        assertEquals(200, send(app, "GET", "/stats", null).status());
    }

    @Test
    void databaseThatDisappearsGives503QuicklyInsteadOfHanging() throws Exception {
        postgres.createDatabase("shop_doomed");
        try (SampleApp doomed = SampleApp.start(env("shop_doomed"))) {
            assertEquals(200, send(doomed, "GET", "/health", null).status());
            try (Connection db = postgres.connect("postgres"); Statement statement = db.createStatement()) {
                statement.execute("drop database shop_doomed with (force)");
            }
            long started = System.nanoTime();
            Reply health = send(doomed, "GET", "/health", null);
            assertEquals(503, health.status());
            assertEquals("DOWN", health.body().get("status").asText());
            Reply write = send(doomed, "POST", "/customers", "{\"name\":\"Nobody\"}");
            assertEquals(503, write.status());
            assertEquals("database unavailable", write.body().get("error").asText());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(3)) < 0, "answered without hanging");
        }
    }

    @Test
    void startFailsFastWhenTheDatabaseIsUnreachable() {
        Map<String, String> env = new HashMap<>(env("shop"));
        env.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + Ports.free() + "/shop");
        long started = System.nanoTime();
        SQLException failure = assertThrows(SQLException.class, () -> SampleApp.start(env));
        assertTrue(failure.getMessage().contains("cannot connect"));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0);
    }

    @Test
    void startRejectsMissingOrMalformedConfigurationWithoutEchoingSecrets() {
        Map<String, String> noPort = new HashMap<>(env("shop"));
        noPort.remove("PORT");
        assertEquals("PORT is required", assertThrows(IllegalArgumentException.class, () -> SampleApp.start(noPort)).getMessage());

        Map<String, String> notJdbc = new HashMap<>(env("shop"));
        notJdbc.put("DATABASE_URL", "postgres://admin:s3cret@127.0.0.1/shop");
        String message = assertThrows(IllegalArgumentException.class, () -> SampleApp.start(notJdbc)).getMessage();
        assertFalse(message.contains("s3cret"), message);
    }

    @Test
    void closeLetsARequestInProgressFinishAndTurnsNewOnesAway() throws Exception {
        postgres.createDatabase("shop_drain");
        try (SampleApp draining = SampleApp.start(env("shop_drain"));
             Connection blocker = postgres.connect("shop_drain");
             Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            statement.execute("lock table customers in access exclusive mode");
            CompletableFuture<HttpResponse<String>> inProgress = HTTP.sendAsync(
                    request(draining, "POST", "/customers", "{\"name\":\"In flight\"}"), HttpResponse.BodyHandlers.ofString());
            awaitWaitingOnLock("shop_drain");

            CompletableFuture<Void> closing = CompletableFuture.runAsync(draining::close);
            Thread.sleep(200);
            assertFalse(closing.isDone(), "close waits for the request in progress");
            Reply turnedAway = send(draining, "GET", "/health", null);
            assertEquals(503, turnedAway.status());
            assertEquals("shutting down", turnedAway.body().get("error").asText());

            blocker.commit();
            assertEquals(201, inProgress.get().statusCode());
            closing.get();
            assertThrows(IOException.class, () -> send(draining, "GET", "/health", null), "nothing listens after close");
        }
    }

    /** Polls from its own connection: within one transaction pg_stat_activity would show the same snapshot. */
    private static void awaitWaitingOnLock(String database) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try (Connection db = postgres.connect("postgres");
             PreparedStatement waiting = db.prepareStatement(
                     "select count(*) from pg_stat_activity where datname = ? and application_name = 'sample-app' and wait_event_type = 'Lock'")) {
            waiting.setString(1, database);
            while (System.nanoTime() < deadline) {
                try (ResultSet count = waiting.executeQuery()) {
                    count.next();
                    if (count.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the request never reached the database");
    }

    private static Map<String, String> env(String database) {
        return Map.of(
                "PORT", "0",
                "DATABASE_URL", postgres.jdbcUrl(database),
                "DATABASE_USER", PostgresServer.SUPERUSER,
                "DATABASE_PASSWORD", "",
                "CUTOVER_ENVIRONMENT", "test-env",
                "CUTOVER_SERVER", "server-a");
    }

    private static long newCustomer() throws Exception {
        Reply created = send(app, "POST", "/customers", "{\"name\":\"Buyer\"}");
        assertEquals(201, created.status());
        return created.body().get("id").asLong();
    }

    private static long countInDatabase(String table) throws SQLException {
        return single("select count(*) from " + table);
    }

    private static long maxId(String table) throws SQLException {
        return single("select coalesce(max(id), 0) from " + table);
    }

    private static long single(String sql) throws SQLException {
        try (Connection db = postgres.connect("shop"); Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static HttpRequest request(SampleApp target, String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static Reply send(SampleApp target, String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request(target, method, path, body), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return new Reply(response.statusCode(), JSON.readTree(response.body()), response.headers());
    }
}
