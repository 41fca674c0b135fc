package dev.cutover.localplatform;

import org.junit.jupiter.api.BeforeAll;
import dev.cutover.stack.Tokens;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.local.LocalPlatformClient;
import dev.cutover.platform.redis.RedisConnection;
import dev.cutover.stack.Ports;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local platform as its users see it: through its REST API, the processes it runs, the PostgreSQL servers it acts
 * on and its own database. Secret values are only ever compared, never printed: assertion messages name the secret,
 * not its value.
 */
@QuarkusTest
@WithTestResource(PlatformTestResources.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPlatformTest {

    @BeforeAll
    static void authorize() {
        // The API asks for a token; reading credentials takes the role service.
        io.restassured.RestAssured.replaceFiltersWith((request, response, context) -> {
            request.replaceHeader("Authorization", "Bearer " + Tokens.forTests().harness());
            return context.next(request, response);
        });
    }

    private static final String RELEASE = PlatformTestResources.RELEASE;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String DOMAIN = "shop.acme.test";
    /** Every secret value this class hands to the platform or learns from its database: none may show up anywhere. */
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static String[] certificate;

    @TestHTTPResource("/")
    URL platform;

    @BeforeEach
    void registerServers() {
        registerServer("eu-1", PlatformTestResources.eu1Port());
        registerServer("eu-2", PlatformTestResources.eu2Port());
    }

    // 1. the copy ---------------------------------------------------------------------------------------------------

    @Test
    void environmentCopiedToEu2MatchesItsSourceFieldByFieldAndGetsItsSecretsWithoutShowingThem() throws Exception {
        create("shop", "eu-1");
        Map<String, String> envVars = giveFullSkeleton("shop");
        addDatabase("shop", "main");
        deploy("shop");

        JsonNode source = get("shop");
        JsonNode skeleton = source.path("skeleton");
        assertEquals(List.copyOf(envVars.keySet()).stream().sorted().toList(), texts(skeleton.path("envVarNames")).stream().sorted().toList());
        assertEquals(1, skeleton.path("formation").path("web").asInt());
        assertEquals(2, skeleton.path("formation").path("worker").asInt());
        assertEquals("Europe/Paris", skeleton.path("settings").path("timezone").asText());
        assertEquals(DOMAIN, skeleton.path("domains").path(0).path("hostname").asText());
        assertEquals(certificate()[0], skeleton.path("domains").path(0).path("certificatePem").asText());
        assertEquals(List.of("mailto:ops@acme.test"), texts(skeleton.path("notifiers")));
        assertEquals(List.of("syslog+tls://logs.acme.test:6514"), texts(skeleton.path("logDrains")));
        assertEquals(JSON.readTree("[{\"process\":\"web\",\"min\":1,\"max\":3,\"targetCpuPercent\":70}]"), skeleton.path("autoscalers"));
        assertEquals(List.of("alice@acme.test", "bob@acme.test"), texts(skeleton.path("collaborators")));
        assertEquals(RELEASE, source.path("release").asText());
        assertEquals("running", source.path("status").asText());
        String eu1Major = get("/servers/eu-1").path("postgresVersion").asText().split("\\.")[0];
        assertEquals(JSON.readTree("[{\"name\":\"main\",\"kind\":\"postgresql\",\"plan\":\"standard\",\"version\":\"" + eu1Major + "\"}]"),
                addons(source));

        create("shop-eu-2", "eu-2");
        send("POST", "/environments/shop-eu-2/skeleton/copy", Map.of("from", "shop")).then().statusCode(204);

        JsonNode target = get("shop-eu-2");
        assertEquals("eu-2", target.path("server").asText());
        assertEquals("eu", target.path("region").asText());
        assertEquals(skeleton, target.path("skeleton"), "skeleton (env var names, formation, settings, domains, notifiers, log drains, autoscalers, collaborators)");
        assertEquals(source.path("plan"), target.path("plan"));
        assertEquals(source.path("release"), target.path("release"));
        assertEquals(addons(source), addons(target), "databases: name, kind, plan, version");
        assertEquals("eu-2", target.path("databases").path(0).path("server").asText());

        // The secrets themselves: equal in the platform's own table, and equal to what was set.
        assertTrue(platformBoolean("select a.env_vars = b.env_vars from environment a, environment b where a.name = ? and b.name = ?",
                "shop", "shop-eu-2"), "env var values of shop-eu-2 equal shop's");
        for (Map.Entry<String, String> v : envVars.entrySet()) {
            assertTrue(platformBoolean("select env_vars ->> ? = ? from environment where name = ?", v.getKey(), v.getValue(), "shop-eu-2"),
                    "shop-eu-2 has the value of " + v.getKey() + " that was set on shop");
        }
        assertTrue(platformBoolean("select a.domains = b.domains from environment a, environment b where a.name = ? and b.name = ?",
                "shop", "shop-eu-2"), "domains with certificates and private keys copied");
        collectDatabasePasswords("shop");
        collectDatabasePasswords("shop-eu-2");

        for (String path : List.of("/environments/shop", "/environments/shop-eu-2", "/environments", "/environments?server=eu-2",
                "/servers")) {
            assertShowsNoSecret(path, given().get(path).then().statusCode(200).extract().asString());
        }
    }

    // 2. the copy runs ----------------------------------------------------------------------------------------------

    @Test
    void copiedReleaseRunsOnEu2AnswersHttpAndWritesIntoItsOwnDatabaseThere() throws Exception {
        create("cart", "eu-1");
        Map<String, String> envVars = giveFullSkeleton("cart");
        addDatabase("cart", "main");
        deploy("cart");
        create("cart-eu-2", "eu-2");
        send("POST", "/environments/cart-eu-2/skeleton/copy", Map.of("from", "cart")).then().statusCode(204);
        String copiedRelease = get("cart-eu-2").path("release").asText();
        assertEquals(RELEASE, copiedRelease);
        send("POST", "/environments/cart-eu-2/deployments", Map.of("release", copiedRelease)).then().statusCode(204);

        JsonNode target = get("cart-eu-2");
        assertEquals("running", target.path("status").asText());
        String backend = target.path("backendUrl").asText();
        HttpResponse<String> health = http("GET", backend + "/health", null);
        assertEquals(200, health.statusCode());
        assertEquals("cart-eu-2@eu-2", health.headers().firstValue("X-Served-By").orElse(null));
        assertEquals("cart@eu-1", http("GET", get("cart").path("backendUrl").asText() + "/health", null)
                .headers().firstValue("X-Served-By").orElse(null), "the source keeps serving from eu-1");

        HttpResponse<String> created = http("POST", backend + "/customers", "{\"name\":\"Ada Lovelace\",\"email\":\"ada@acme.test\"}");
        assertEquals(201, created.statusCode(), created.body());

        // A database's password goes to Cutover's services only: not to anyone, nor to a person's token.
        String path = platform + "environments/cart-eu-2/databases/main/credentials";
        assertEquals(401, HTTP.send(HttpRequest.newBuilder(URI.create(path)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        for (String refused : List.of(Tokens.forTests().mint("otto", "acme", Duration.ofMinutes(5), "operator"),
                Tokens.forTests().mint("ada", null, Duration.ofMinutes(5), "admin"), Tokens.forTests().service("traffic-service", false))) {
            assertEquals(403, HTTP.send(HttpRequest.newBuilder(URI.create(path)).header("Authorization", "Bearer " + refused).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "a person's token, or a service's that logs in to no database");
        }
        String operator = Tokens.forTests().mint("otto", "acme", Duration.ofMinutes(5), "operator");
        assertEquals(403, HTTP.send(HttpRequest.newBuilder(URI.create(platform + "environments")).header("Authorization", "Bearer " + operator)
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "the platform's API is for Cutover's services");
        JsonNode credentials = get("/environments/cart-eu-2/databases/main/credentials");
        assertEquals(PlatformTestResources.eu2Port(), credentials.path("port").asInt(), "the copy's database is on eu-2's PostgreSQL");
        SECRETS.add(credentials.path("password").asText());
        try (Connection c = login(credentials)) {
            assertEquals("customers", one(c, "select to_regclass('public.customers')::text"));
            assertEquals("1", one(c, "select count(*)::text from customers where name = 'Ada Lovelace'"));
        }
        JsonNode sourceCredentials = get("/environments/cart/databases/main/credentials");
        assertEquals(PlatformTestResources.eu1Port(), sourceCredentials.path("port").asInt());
        SECRETS.add(sourceCredentials.path("password").asText());
        try (Connection c = login(sourceCredentials)) {
            assertEquals("0", one(c, "select count(*)::text from customers where name = 'Ada Lovelace'"),
                    "the customer was written on eu-2, not into the source's database");
        }

        // The release runs with the copied env vars (Linux shows a process's environment in /proc).
        Path environ = Path.of("/proc", String.valueOf(pid("cart-eu-2")), "environ");
        if (Files.isReadable(environ)) {
            List<String> variables = List.of(new String(Files.readAllBytes(environ), StandardCharsets.UTF_8).split("\0"));
            for (Map.Entry<String, String> v : envVars.entrySet()) {
                assertTrue(variables.contains(v.getKey() + "=" + v.getValue()), "the release of cart-eu-2 runs with " + v.getKey());
            }
        }
    }

    // 3. destroy ----------------------------------------------------------------------------------------------------

    @Test
    void destroyStopsTheReleaseAndDropsItsDatabaseAndRoleFromTheServer() throws Exception {
        create("gone", "eu-2");
        give("gone", Map.of("envVars", secretVars("GONE")));
        addDatabase("gone", "main");
        deploy("gone");
        long pid = pid("gone");
        int port = URI.create(get("gone").path("backendUrl").asText()).getPort();
        JsonNode credentials = get("/environments/gone/databases/main/credentials");
        SECRETS.add(credentials.path("password").asText());
        String database = credentials.path("database").asText();
        String role = credentials.path("user").asText();
        // Before: all of it exists, so the checks below can tell.
        assertTrue(alive(pid), "the release process runs");
        assertTrue(Ports.inUse(port), "the release listens");
        assertTrue(existsOnEu2("select 1 from pg_database where datname = ?", database));
        assertTrue(existsOnEu2("select 1 from pg_roles where rolname = ?", role));

        given().delete("/environments/gone").then().statusCode(204);

        assertFalse(alive(pid), "the release's process is gone");
        assertFalse(Ports.inUse(port), "nothing listens on the release's old port");
        assertFalse(existsOnEu2("select 1 from pg_database where datname = ?", database), "the database is dropped from eu-2");
        assertFalse(existsOnEu2("select 1 from pg_roles where rolname = ?", role), "the login role is dropped from eu-2");
        assertFalse(platformBoolean("select exists (select 1 from environment where name = ?)", "gone"), "the platform forgot it");
        problem(given().get("/environments/gone"), 404);
    }

    @Test
    void aLightReleaseServesFromThePlatformItselfAndStopsWithItsEnvironment() throws Exception {
        int processesBefore = javaProcesses();
        create("tiny", "eu-2");
        addDatabase("tiny", "main");
        Response r = send("POST", "/environments/tiny/deployments", Map.of("release", "light"));
        assertEquals(204, r.statusCode(), r.asString());
        JsonNode tiny = get("tiny");
        assertEquals("running", tiny.path("status").asText());
        assertEquals(processesBefore, javaProcesses(), "a light release starts no process");
        String backend = tiny.path("backendUrl").asText();
        HttpResponse<String> answer = http("GET", backend + "/orders", null);
        assertEquals(200, answer.statusCode());
        JsonNode body = JSON.readTree(answer.body());
        assertEquals("tiny", body.path("environment").asText(), "it says which environment answered");
        assertEquals("eu-2", body.path("server").asText(), "and on which server");
        assertEquals(List.of(), texts(get("/environments/tiny/schema-migrations").path("pending")), "it has no schema to migrate");

        given().delete("/environments/tiny").then().statusCode(204);

        assertFalse(Ports.inUse(URI.create(backend).getPort()), "nothing listens on its old port");
    }

    // 4. idempotence ------------------------------------------------------------------------------------------------

    @Test
    void everyOperationRepeatedChangesNothingTheSecondTime() throws Exception {
        Map<String, Object> spec = Map.of("name", "twice", "owner", "acme", "server", "eu-2", "plan", Map.of("size", "S", "ha", false));
        Response first = send("POST", "/environments", spec);
        assertEquals(201, first.statusCode(), first.asString());
        Response second = send("POST", "/environments", spec);
        assertTrue(second.statusCode() == 200 || second.statusCode() == 201, second.asString());
        assertEquals(JSON.readTree(first.asString()), JSON.readTree(second.asString()), "create again: the same environment");
        assertEquals(1L, platformLong("select count(*) from environment where name = ?", "twice"));

        create("twice-src", "eu-1");
        giveFullSkeleton("twice-src");
        addDatabase("twice-src", "main");
        send("POST", "/environments/twice/skeleton/copy", Map.of("from", "twice-src")).then().statusCode(204);
        JsonNode afterCopy = withoutSizes(get("twice"));
        String rowAfterCopy = platformRow("twice");
        send("POST", "/environments/twice/skeleton/copy", Map.of("from", "twice-src")).then().statusCode(204);
        assertEquals(afterCopy, withoutSizes(get("twice")), "copy again: same answer");
        assertSameRow(rowAfterCopy, "twice", "copy again: same stored skeleton, same database passwords");
        assertEquals(1L, countOnEu2("select count(*) from pg_database where datname = 'twice_main'"));

        Response added = send("POST", "/environments/twice/databases", Map.of("name", "extra", "kind", "postgresql", "plan", "standard"));
        assertEquals(201, added.statusCode(), added.asString());
        String rowAfterAdd = platformRow("twice");
        Response addedAgain = send("POST", "/environments/twice/databases", Map.of("name", "extra", "kind", "postgresql", "plan", "standard"));
        assertTrue(addedAgain.statusCode() == 200 || addedAgain.statusCode() == 201, addedAgain.asString());
        assertEquals(withoutSizes(JSON.readTree(added.asString())), withoutSizes(JSON.readTree(addedAgain.asString())), "add database again: same answer");
        assertSameRow(rowAfterAdd, "twice", "add database again: no new database, password unchanged");
        assertEquals(1L, countOnEu2("select count(*) from pg_database where datname = 'twice_extra'"));
        collectDatabasePasswords("twice");
        collectDatabasePasswords("twice-src");

        deploy("twice");
        long pid = pid("twice");
        String backend = get("twice").path("backendUrl").asText();
        deploy("twice");
        assertEquals(pid, pid("twice"), "deploy the same release again: the same process");
        assertEquals(backend, get("twice").path("backendUrl").asText(), "deploy the same release again: the same address");
        assertEquals(200, http("GET", backend + "/health", null).statusCode());

        given().post("/environments/twice/start").then().statusCode(204);
        assertEquals(pid, pid("twice"), "start a running environment: the same process");

        given().post("/environments/twice/stop").then().statusCode(204);
        JsonNode stopped = withoutSizes(get("twice"));
        given().post("/environments/twice/stop").then().statusCode(204);
        assertEquals(stopped, withoutSizes(get("twice")), "stop again: same answer");
        assertEquals("stopped", stopped.path("status").asText());
        assertTrue(stopped.path("backendUrl").isNull());
        assertFalse(alive(pid), "stopped: its process is gone");

        given().post("/environments/twice/start").then().statusCode(204);
        long restarted = pid("twice");
        assertNotEquals(pid, restarted);
        String restartedBackend = get("twice").path("backendUrl").asText();
        given().post("/environments/twice/start").then().statusCode(204);
        assertEquals(restarted, pid("twice"), "start again: the same process");
        assertEquals(restartedBackend, get("twice").path("backendUrl").asText());
        assertEquals(200, http("GET", restartedBackend + "/health", null).statusCode());

        Response flagged = send("PATCH", "/environments/twice/flags", Map.of("maintenance", true, "default", true));
        assertEquals(200, flagged.statusCode(), flagged.asString());
        Response flaggedAgain = send("PATCH", "/environments/twice/flags", Map.of("maintenance", true, "default", true));
        assertEquals(200, flaggedAgain.statusCode(), flaggedAgain.asString());
        assertEquals(withoutSizes(JSON.readTree(flagged.asString())), withoutSizes(JSON.readTree(flaggedAgain.asString())), "flags again: same answer");
        assertEquals(JSON.readTree("{\"maintenance\":true,\"frozen\":false,\"protected\":false,\"default\":true}"),
                JSON.readTree(flaggedAgain.asString()).path("flags"));

        // Destroy twice: the API says 404 the second time, and the adapter the services use takes that as done.
        given().delete("/environments/twice").then().statusCode(204);
        problem(given().delete("/environments/twice"), 404);
        LocalPlatformClient client = new LocalPlatformClient(platform.toURI(), Duration.ofSeconds(30), Tokens.forTests().service("provisioning-service", false));
        client.destroy("twice-src");
        client.destroy("twice-src");
        assertTrue(client.environment("twice-src").isEmpty());
        assertFalse(alive(restarted));
        assertEquals(0L, countOnEu2("select count(*) from pg_database where datname in ('twice_main', 'twice_extra')"));
    }

    // 5. bad input --------------------------------------------------------------------------------------------------

    @Test
    void unknownEnvironmentIsA404ProblemThatNamesIt() {
        for (Response r : List.of(
                given().get("/environments/nope"),
                given().delete("/environments/nope"),
                given().post("/environments/nope/start"),
                send("POST", "/environments/nope/deployments", Map.of("release", RELEASE)),
                send("PUT", "/environments/nope/skeleton", Map.of("settings", Map.of("a", "b"))),
                send("PATCH", "/environments/nope/flags", Map.of("frozen", true)))) {
            JsonNode p = problem(r, 404);
            assertEquals("unknown environment 'nope'", p.path("detail").asText());
            assertEquals("Not Found", p.path("title").asText());
        }
        create("copy-target", "eu-1");
        JsonNode p = problem(send("POST", "/environments/copy-target/skeleton/copy", Map.of("from", "nope")), 404);
        assertEquals("unknown environment 'nope'", p.path("detail").asText());
        given().delete("/environments/copy-target").then().statusCode(204);
    }

    @Test
    void createOnAnUnknownServerIs422AndATakenNameWithAnotherSpecIs409() {
        JsonNode unknown = problem(send("POST", "/environments",
                Map.of("name", "lost", "owner", "acme", "server", "nowhere", "plan", Map.of("size", "S", "ha", false))), 422);
        assertTrue(unknown.path("detail").asText().contains("'nowhere'"), unknown.toString());
        problem(given().get("/environments/lost"), 404);

        create("taken", "eu-1");
        JsonNode otherServer = problem(send("POST", "/environments",
                Map.of("name", "taken", "owner", "acme", "server", "eu-2", "plan", Map.of("size", "S", "ha", false))), 409);
        assertTrue(otherServer.path("detail").asText().contains("'taken' is taken"), otherServer.toString());
        problem(send("POST", "/environments",
                Map.of("name", "taken", "owner", "acme", "server", "eu-1", "plan", Map.of("size", "M", "ha", false))), 409);
        problem(send("POST", "/environments",
                Map.of("name", "taken", "owner", "someone-else", "server", "eu-1", "plan", Map.of("size", "S", "ha", false))), 409);
        JsonNode still = get("taken");
        assertEquals("eu-1", still.path("server").asText());
        assertEquals("S", still.path("plan").path("size").asText());
        assertEquals("acme", still.path("owner").asText());
        given().delete("/environments/taken").then().statusCode(204);
    }

    @Test
    void invalidCertificateIs422NamingTheHostnameAndChangesNothing() throws Exception {
        create("badcert", "eu-1");
        giveFullSkeleton("badcert");
        JsonNode before = withoutSizes(get("badcert"));
        String rowBefore = platformRow("badcert");

        String garbage = "-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";
        for (String pem : List.of(garbage, "just some text")) {
            Map<String, Object> update = new LinkedHashMap<>();
            update.put("envVars", Map.of("ADDED_WITH_BAD_CERT", "x"));
            update.put("settings", Map.of("timezone", "UTC"));
            update.put("domains", List.of(
                    Map.of("hostname", DOMAIN, "certificatePem", certificate()[0], "privateKeyPem", certificate()[1]),
                    Map.of("hostname", "broken.acme.test", "certificatePem", pem, "privateKeyPem", certificate()[1])));
            JsonNode p = problem(send("PUT", "/environments/badcert/skeleton", update), 422);
            assertTrue(p.path("detail").asText().contains("broken.acme.test"), p.toString());
        }
        assertEquals(before, withoutSizes(get("badcert")), "the refused update changed nothing the API shows");
        assertSameRow(rowBefore, "badcert", "the refused update changed nothing stored (env vars included)");
        given().delete("/environments/badcert").then().statusCode(204);
    }

    @Test
    void addingADatabaseOnAServerWhosePostgresIsUnreachableIs503AndLeavesNoDatabase() throws Exception {
        int deadPort = Ports.free();
        Response registered = send("PUT", "/servers/eu-9", Map.of("region", "eu", "postgresHost", "127.0.0.1", "postgresPort", deadPort,
                "capacity", Map.of("memoryMb", 4096, "diskMb", 20480, "environments", 20)));
        assertEquals(200, registered.statusCode(), registered.asString());
        assertTrue(JSON.readTree(registered.asString()).path("postgresVersion").isNull(), "no version from a PostgreSQL that doesn't answer");
        create("stranded", "eu-9");

        for (Map<String, String> spec : List.of(Map.of("name", "main", "kind", "postgresql", "plan", "standard"),
                Map.of("name", "main", "kind", "postgresql", "plan", "standard", "version", "17"))) {
            JsonNode p = problem(send("POST", "/environments/stranded/databases", spec), 503);
            assertTrue(p.path("detail").asText().contains("eu-9"), p.toString());
            assertEquals(0, get("stranded").path("databases").size(), "no database after the failure");
            assertTrue(platformBoolean("select databases = '[]'::jsonb from environment where name = ?", "stranded"),
                    "nothing half-created in the platform's records");
        }
        problem(given().get("/environments/stranded/databases/main/credentials"), 404);
        given().get("/servers").then().statusCode(200);
        given().delete("/environments/stranded").then().statusCode(204);
    }

    @Test
    void frozenEnvironmentRefusesSkeletonChangesUntilUnfrozen() throws Exception {
        create("icy", "eu-1");
        giveFullSkeleton("icy");
        create("icy-src", "eu-1");
        send("PATCH", "/environments/icy/flags", Map.of("frozen", true)).then().statusCode(200);
        JsonNode before = withoutSizes(get("icy"));
        String rowBefore = platformRow("icy");

        for (Response r : List.of(
                send("PUT", "/environments/icy/skeleton", Map.of("settings", Map.of("timezone", "UTC"), "envVars", Map.of("A", "b"))),
                send("POST", "/environments/icy/skeleton/copy", Map.of("from", "icy-src")),
                send("POST", "/environments/icy/databases", Map.of("name", "main", "kind", "postgresql", "plan", "standard")))) {
            JsonNode p = problem(r, 409);
            assertTrue(p.path("detail").asText().contains("frozen"), p.toString());
        }
        assertEquals(before, withoutSizes(get("icy")));
        assertSameRow(rowBefore, "icy", "the refused changes changed nothing stored");
        assertEquals(0L, countOn(PlatformTestResources.eu1Port(), "select count(*) from pg_database where datname = 'icy_main'"));

        send("PATCH", "/environments/icy/flags", Map.of("frozen", false)).then().statusCode(200);
        send("PUT", "/environments/icy/skeleton", Map.of("settings", Map.of("timezone", "UTC"))).then().statusCode(200);
        assertEquals("UTC", get("icy").path("skeleton").path("settings").path("timezone").asText());
        given().delete("/environments/icy").then().statusCode(204);
        given().delete("/environments/icy-src").then().statusCode(204);
    }

    @Test
    void protectedEnvironmentRefusesDestroyUntilUnprotected() {
        create("guarded", "eu-1");
        send("PATCH", "/environments/guarded/flags", Map.of("protected", true)).then().statusCode(200);
        JsonNode p = problem(given().delete("/environments/guarded"), 409);
        assertTrue(p.path("detail").asText().contains("protected"), p.toString());
        assertTrue(get("guarded").path("flags").path("protected").asBoolean(), "still there, still protected");

        send("PATCH", "/environments/guarded/flags", Map.of("protected", false)).then().statusCode(200);
        given().delete("/environments/guarded").then().statusCode(204);
        problem(given().get("/environments/guarded"), 404);
    }

    @Test
    void oneEnvironmentCannotTakeOverAnotherEnvironmentsDatabase() throws Exception {
        // "pay" + "eu_main" and "pay-eu" + "main" both make the PostgreSQL name pay_eu_main.
        create("pay", "eu-1");
        addDatabase("pay", "eu_main");
        JsonNode owner = get("/environments/pay/databases/eu_main/credentials");
        SECRETS.add(owner.path("password").asText());
        create("pay-eu", "eu-1");
        JsonNode p = problem(send("POST", "/environments/pay-eu/databases", Map.of("name", "main", "kind", "postgresql", "plan", "standard")), 409);
        assertTrue(p.path("detail").asText().contains("pay_eu_main"), p.toString());
        assertEquals(0, get("pay-eu").path("databases").size());
        try (Connection c = login(owner)) {
            assertEquals("1", one(c, "select 1::text"), "pay still logs in with its own password");
        }

        // A name PostgreSQL would cut short is refused instead.
        String longName = "l" + "o".repeat(40);
        create(longName, "eu-1");
        problem(send("POST", "/environments/" + longName + "/databases",
                Map.of("name", "d" + "x".repeat(29), "kind", "postgresql", "plan", "standard")), 422);
        assertEquals(0, get(longName).path("databases").size());

        for (String name : List.of("pay", "pay-eu", longName)) {
            given().delete("/environments/" + name).then().statusCode(204);
        }
        assertEquals(0L, countOn(PlatformTestResources.eu1Port(), "select count(*) from pg_database where datname like 'pay%' or datname like 'loo%'"));
    }

    // 5b. Redis -----------------------------------------------------------------------------------------------------

    @Test
    void aRedisAddonIsItsOwnServerWhoseAppUserTheFenceStopsWritingAndDestroyRemoves() throws Exception {
        create("kv", "eu-2");
        problem(send("POST", "/environments/kv/databases", Map.of("name", "sessions", "kind", "redis", "plan", "huge")), 422);
        problem(send("POST", "/environments/kv/databases", Map.of("name", "sessions", "kind", "mongodb")), 422);
        Response added = send("POST", "/environments/kv/databases", Map.of("name", "sessions", "kind", "redis", "plan", "store"));
        assertEquals(201, added.statusCode(), added.asString());
        JsonNode db = get("kv").path("databases").get(0);
        assertEquals("redis", db.path("kind").asText());
        assertEquals("store", db.path("plan").asText());
        assertTrue(db.path("version").asText().matches("\\d+\\.\\d+"), db.toString());
        assertTrue(get("/servers/eu-2").path("redisVersion").asText().startsWith(db.path("version").asText()));

        JsonNode admin = get("/environments/kv/databases/sessions/credentials");
        SECRETS.add(admin.path("password").asText());
        String appUser = platformText("select d ->> 'user' from environment, jsonb_array_elements(databases) d where name = ?", "kv");
        String appPassword = platformText("select d ->> 'password' from environment, jsonb_array_elements(databases) d where name = ?", "kv");
        SECRETS.add(appPassword);
        try (RedisConnection r = RedisConnection.open(new DatabaseCredentials("127.0.0.1", admin.path("port").asInt(), "0",
                admin.path("user").asText(), admin.path("password").asText()))) {
            List<?> memory = (List<?>) r.call("CONFIG", "GET", "maxmemory");
            assertEquals(String.valueOf(256L * 1024 * 1024), new String((byte[]) memory.get(1), StandardCharsets.UTF_8), "the store plan's memory");
            List<?> policy = (List<?>) r.call("CONFIG", "GET", "maxmemory-policy");
            assertEquals("noeviction", new String((byte[]) policy.get(1), StandardCharsets.UTF_8), "a store evicts nothing");
        }
        DatabaseCredentials app = new DatabaseCredentials("127.0.0.1", admin.path("port").asInt(), "0", appUser, appPassword);
        try (RedisConnection r = RedisConnection.open(app)) {
            assertEquals("OK", r.call("SET", "k", "v"));
            assertThrows(RedisConnection.RedisException.class, () -> r.call("FLUSHALL"), "the app's user may not administer");

            send("PUT", "/environments/kv/write-fence", Map.of("fenced", true)).then().statusCode(204);
            RedisConnection.RedisException refused = assertThrows(RedisConnection.RedisException.class, () -> r.call("SET", "k", "w"),
                    "fenced: the app's open connection may not write");
            assertTrue(refused.getMessage().startsWith("NOPERM"), refused.getMessage());
            assertEquals("v", r.string("GET", "k"), "fenced: it still reads");

            send("PUT", "/environments/kv/write-fence", Map.of("fenced", false)).then().statusCode(204);
            assertEquals("OK", r.call("SET", "k", "w"), "the fence lifted, it writes again");
        }

        given().delete("/environments/kv").then().statusCode(204);
        assertFalse(Ports.inUse(admin.path("port").asInt()), "the Redis server of the destroyed environment is stopped");
        assertFalse(Files.exists(PlatformTestResources.appsDir().resolve("redis/kv_sessions")), "and its data removed");
    }

    // 6. logs -------------------------------------------------------------------------------------------------------

    @Test
    @Order(Integer.MAX_VALUE)
    void noSecretValueEverAppearsInALogLine() throws Exception {
        // Runs last, so the log holds every operation of this class; it runs a whole cycle of its own too.
        create("logged", "eu-1");
        giveFullSkeleton("logged");
        addDatabase("logged", "main");
        deploy("logged");
        create("logged-eu-2", "eu-2");
        send("POST", "/environments/logged-eu-2/skeleton/copy", Map.of("from", "logged")).then().statusCode(204);
        deploy("logged-eu-2");
        collectDatabasePasswords("logged");
        collectDatabasePasswords("logged-eu-2");
        given().post("/environments/logged/stop").then().statusCode(204);
        given().delete("/environments/logged").then().statusCode(204);
        given().delete("/environments/logged-eu-2").then().statusCode(204);
        assertTrue(SECRETS.size() >= 5, "the class handed the platform secrets to look for");

        Path log = PlatformTestResources.logFile();
        String platformLog = awaitLogLine(log, "environment logged-eu-2 destroyed");
        assertTrue(platformLog.contains("environment logged runs release " + RELEASE), "the log captures the platform's lines");
        assertNoSecretIn("the platform's log", platformLog);

        List<Path> appLogs;
        try (Stream<Path> files = Files.list(PlatformTestResources.appsDir())) {
            appLogs = files.filter(f -> f.toString().endsWith(".log")).toList();
        }
        assertTrue(appLogs.stream().anyMatch(f -> f.getFileName().toString().equals("logged-eu-2.log")));
        for (Path appLog : appLogs) {
            String text = Files.readString(appLog);
            assertTrue(text.contains("listening on port"), appLog + " is a release's log");
            assertNoSecretIn("the log of release " + appLog.getFileName(), text);
        }
    }

    // helpers -------------------------------------------------------------------------------------------------------

    private static void registerServer(String name, int port) {
        send("PUT", "/servers/" + name, Map.of("region", "eu", "postgresHost", "127.0.0.1", "postgresPort", port,
                "capacity", Map.of("memoryMb", 4096, "diskMb", 20480, "environments", 20))).then().statusCode(200);
    }

    private static void create(String name, String server) {
        Response r = send("POST", "/environments", Map.of("name", name, "owner", "acme", "server", server,
                "plan", Map.of("size", "S", "ha", false)));
        assertEquals(201, r.statusCode(), r.asString());
    }

    /** Sets every part of the skeleton; returns the env vars set (secret values). */
    private static Map<String, String> giveFullSkeleton(String name) throws IOException {
        Map<String, String> envVars = secretVars(name.toUpperCase().replace('-', '_'));
        Map<String, Object> skeleton = new LinkedHashMap<>();
        skeleton.put("envVars", envVars);
        skeleton.put("formation", Map.of("web", 1, "worker", 2));
        skeleton.put("settings", Map.of("timezone", "Europe/Paris", "force_https", "true"));
        skeleton.put("domains", List.of(Map.of("hostname", DOMAIN, "certificatePem", certificate()[0], "privateKeyPem", certificate()[1])));
        skeleton.put("notifiers", List.of("mailto:ops@acme.test"));
        skeleton.put("logDrains", List.of("syslog+tls://logs.acme.test:6514"));
        skeleton.put("autoscalers", List.of(Map.of("process", "web", "min", 1, "max", 3, "targetCpuPercent", 70)));
        skeleton.put("collaborators", List.of("alice@acme.test", "bob@acme.test"));
        give(name, skeleton);
        return envVars;
    }

    private static void give(String name, Map<String, Object> skeleton) {
        Response r = send("PUT", "/environments/" + name + "/skeleton", skeleton);
        assertEquals(200, r.statusCode(), "PUT skeleton answered " + r.statusCode());
    }

    /** Env vars whose values are fresh secrets, remembered to be looked for in answers and logs. */
    private static Map<String, String> secretVars(String prefix) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("SECRET_KEY_BASE", "skb-" + prefix + "-" + UUID.randomUUID());
        vars.put("PAYMENT_API_KEY", "pk_live_" + UUID.randomUUID().toString().replace("-", ""));
        vars.put("SMTP_PASSWORD", "smtp-" + UUID.randomUUID());
        SECRETS.addAll(vars.values());
        return vars;
    }

    private static void addDatabase(String name, String database) {
        Response r = send("POST", "/environments/" + name + "/databases", Map.of("name", database, "kind", "postgresql", "plan", "standard"));
        assertEquals(201, r.statusCode(), r.asString());
    }

    private static void deploy(String name) {
        Response r = send("POST", "/environments/" + name + "/deployments", Map.of("release", RELEASE));
        assertEquals(204, r.statusCode(), r.asString());
    }

    private static Response send(String method, String path, Object body) {
        try {
            return given().contentType("application/json").body(JSON.writeValueAsString(body)).request(method, path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GET of an environment by name, or of a path starting with a slash; must answer 200. */
    private static JsonNode get(String nameOrPath) {
        String path = nameOrPath.startsWith("/") ? nameOrPath : "/environments/" + nameOrPath;
        Response r = given().get(path);
        assertEquals(200, r.statusCode(), "GET " + path + " answered " + r.statusCode());
        try {
            return JSON.readTree(r.asString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asserts an RFC 9457 problem answer with this status; returns its body. */
    private static JsonNode problem(Response r, int status) {
        assertEquals(status, r.statusCode(), r.asString());
        assertTrue(r.contentType().startsWith("application/problem+json"), "content type " + r.contentType());
        try {
            JsonNode p = JSON.readTree(r.asString());
            assertEquals(status, p.path("status").asInt());
            assertFalse(p.path("detail").asText().isBlank(), "the problem says what went wrong");
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    /** The databases of an environment as a user compares them: name, kind, plan, version. */
    private static JsonNode addons(JsonNode environment) {
        ArrayNode addons = JSON.createArrayNode();
        for (JsonNode d : environment.path("databases")) {
            addons.add(JSON.createObjectNode().put("name", d.path("name").asText()).put("kind", d.path("kind").asText())
                    .put("plan", d.path("plan").asText()).put("version", d.path("version").asText()));
        }
        return addons;
    }

    /** An answer without the databases' sizes, which PostgreSQL may change on its own between two reads. */
    private static JsonNode withoutSizes(JsonNode environment) {
        JsonNode copy = environment.deepCopy();
        copy.path("databases").forEach(d -> ((ObjectNode) d).remove("sizeBytes"));
        return copy;
    }

    private static void assertShowsNoSecret(String where, String text) {
        assertFalse(text.isEmpty());
        assertNoSecretIn("GET " + where, text);
    }

    private static void assertNoSecretIn(String where, String text) throws IllegalStateException {
        for (String secret : SECRETS) {
            // The message names where, never the value.
            assertFalse(text.contains(secret), where + " shows a secret value (" + secret.length() + " characters)");
        }
        try {
            String keyBody = certificate()[1].split("\n")[1];
            assertFalse(text.contains(keyBody), where + " shows a domain's private key");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> http(String method, String url, String jsonBody) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + Tokens.forTests().harness());
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int javaProcesses() {
        return (int) ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").endsWith("/java")).count();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    // The platform's own database, read the way an operator would with psql.

    private static Connection platformDb() throws SQLException {
        return DriverManager.getConnection(PlatformTestResources.platformJdbcUrl(), "postgres", "");
    }

    private static boolean platformBoolean(String sql, String... args) throws SQLException {
        try (Connection c = platformDb(); PreparedStatement q = prepare(c, sql, args); ResultSet rs = q.executeQuery()) {
            assertTrue(rs.next(), "no row for " + sql);
            return rs.getBoolean(1);
        }
    }

    private static String platformText(String sql, String... args) throws SQLException {
        try (Connection c = platformDb(); PreparedStatement q = prepare(c, sql, args); ResultSet rs = q.executeQuery()) {
            assertTrue(rs.next(), "no row for " + sql);
            return rs.getString(1);
        }
    }

    private static long platformLong(String sql, String... args) throws SQLException {
        try (Connection c = platformDb(); PreparedStatement q = prepare(c, sql, args); ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The stored row (secrets included) as one string, only ever compared. */
    private static String platformRow(String name) throws SQLException {
        try (Connection c = platformDb();
             PreparedStatement q = prepare(c, "select to_jsonb(e) - 'pid' - 'port' - 'status' from environment e where name = ?", name);
             ResultSet rs = q.executeQuery()) {
            assertTrue(rs.next(), "no row for environment " + name);
            return rs.getString(1);
        }
    }

    /** Compares stored rows (they hold secrets) without ever printing them. */
    private static void assertSameRow(String expected, String name, String message) throws SQLException {
        assertTrue(expected.equals(platformRow(name)), message);
    }

    private static long pid(String name) throws SQLException {
        try (Connection c = platformDb(); PreparedStatement q = prepare(c, "select pid from environment where name = ?", name);
             ResultSet rs = q.executeQuery()) {
            assertTrue(rs.next());
            long pid = rs.getLong(1);
            assertFalse(rs.wasNull(), name + " has a pid");
            return pid;
        }
    }

    private static void collectDatabasePasswords(String name) throws SQLException {
        try (Connection c = platformDb();
             PreparedStatement q = prepare(c, "select d ->> 'password' from environment, jsonb_array_elements(databases) d where name = ?", name);
             ResultSet rs = q.executeQuery()) {
            int count = 0;
            while (rs.next()) {
                assertNotNull(rs.getString(1));
                SECRETS.add(rs.getString(1));
                count++;
            }
            assertTrue(count > 0, name + " has databases");
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, String... args) throws SQLException {
        PreparedStatement q = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            q.setString(i + 1, args[i]);
        }
        return q;
    }

    // The servers' PostgreSQL, as its superuser.

    private static boolean existsOnEu2(String sql, String value) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + PlatformTestResources.eu2Port() + "/postgres", "postgres", "");
             PreparedStatement q = prepare(c, sql, value); ResultSet rs = q.executeQuery()) {
            return rs.next();
        }
    }

    private static long countOnEu2(String sql) throws SQLException {
        return countOn(PlatformTestResources.eu2Port(), sql);
    }

    private static long countOn(int port, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
             PreparedStatement q = c.prepareStatement(sql); ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Logs in with the credentials the platform hands out. */
    private static Connection login(JsonNode credentials) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + credentials.path("host").asText() + ":" + credentials.path("port").asInt()
                + "/" + credentials.path("database").asText(), credentials.path("user").asText(), credentials.path("password").asText());
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql); ResultSet rs = q.executeQuery()) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static String awaitLogLine(Path log, String line) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String text = Files.exists(log) ? Files.readString(log) : "";
        while (!text.contains(line) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            text = Files.exists(log) ? Files.readString(log) : "";
        }
        assertTrue(text.contains(line), "the platform's log file " + log + " has the line '" + line + "'");
        return text;
    }

    // A real certificate: made with the JDK's keytool, the way the demo environment makes one.

    private static synchronized String[] certificate() throws IOException {
        if (certificate == null) {
            Path dir = Files.createTempDirectory("cutover-test-certificates");
            Path store = dir.resolve(DOMAIN + ".p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            run(keytool, "-genkeypair", "-alias", DOMAIN, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + DOMAIN,
                    "-ext", "SAN=dns:" + DOMAIN, "-validity", "90", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", "changeit", "-keypass", "changeit");
            Path pem = dir.resolve(DOMAIN + ".pem");
            run(keytool, "-exportcert", "-rfc", "-alias", DOMAIN, "-keystore", store.toString(), "-storepass", "changeit",
                    "-file", pem.toString());
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (var in = Files.newInputStream(store)) {
                    ks.load(in, "changeit".toCharArray());
                }
                byte[] key = ks.getKey(DOMAIN, "changeit".toCharArray()).getEncoded();
                String keyPem = "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key)
                        + "\n-----END PRIVATE KEY-----\n";
                certificate = new String[] {Files.readString(pem), keyPem};
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("cannot read the generated key", e);
            }
        }
        return certificate;
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(command[1] + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
