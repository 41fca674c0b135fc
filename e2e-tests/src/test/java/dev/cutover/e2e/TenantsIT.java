package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.Topics;
import dev.cutover.contracts.migration.MigrationConfirmed;
import dev.cutover.contracts.migration.MigrationRequested;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Only the right people, on the packaged services: every endpoint asked by no one, by an expired token, by a viewer and an
 * operator of the tenant, by an operator of another tenant and by an admin, each answered as docs/security.md says (every
 * refusal of Cutover's services in problem details; the local platform is not one of them); a
 * tenant's plans and migrations of another tenant's environment find none; a portal's request for another tenant's
 * environment is dead-lettered and changes nothing.
 */
class TenantsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final List<String> WHO = List.of("nobody", "expired", "acme viewer", "acme operator", "globex operator", "admin");

    @Test
    void eachIdentityIsAnsweredAsItsRoleAndTenantAllowAndAnotherTenantsMigrationsAreOnesThatDoNotExist() throws Exception {
        Stack.get();
        environment("tn-acme", "acme");
        environment("tn-globex", "globex");
        Tokens tokens = Stack.get().tokens();
        Map<String, String> token = new LinkedHashMap<>();
        token.put("nobody", null);
        token.put("expired", tokens.mint("old", "acme", Duration.ofSeconds(-120), "operator"));
        token.put("acme viewer", tokens.mint("vera", "acme", Duration.ofMinutes(10), "viewer"));
        token.put("acme operator", tokens.mint("otto", "acme", Duration.ofMinutes(10), "operator"));
        token.put("globex operator", tokens.mint("gus", "globex", Duration.ofMinutes(10), "operator"));
        token.put("admin", tokens.mint("ada", null, Duration.ofMinutes(10), "admin"));

        // acme's migration, refused by preflight (no such target server), so that no action below moves anything.
        HttpResponse<String> created = call("POST", api("/migrations"), "{\"environment\":\"tn-acme\",\"targetServer\":\"nowhere\"}",
                token.get("acme operator"));
        assertEquals(201, created.statusCode(), created.body());
        String id = json(created).path("id").asText();
        assertEquals("preflight-failed", Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(60)).path("state").asText());

        List<String> wrong = new ArrayList<>();
        expect(wrong, token, "GET", api("/migrations"), null, 401, 401, 200, 200, 200, 200);
        expect(wrong, token, "GET", api("/migrations/" + id), null, 401, 401, 200, 200, 404, 200);
        for (String action : List.of("confirm", "force", "abort", "abort?force=true", "pause", "resume", "repair", "rollback", "finalize")) {
            expect(wrong, token, "POST", api("/migrations/" + id + "/" + action), null, 401, 401, 403, 409, 404, 409);
        }
        expect(wrong, token, "POST", api("/migrations"), "{}", 401, 401, 403, 422, 422, 422);
        expect(wrong, token, "POST", api("/plans"), "{\"environment\":\"tn-globex\",\"targetServer\":\"eu-2\"}", 401, 401, 403, 200, 200, 200);
        // The probes are open; a token that comes is still checked (the expired one is refused there too).
        expect(wrong, token, "GET", api("/q/health/ready"), null, 200, 401, 200, 200, 200, 200);
        // The platform's API is for Cutover's services only, and the routes for services and admins: tenants meet there.
        String platform = Stack.platform();
        expect(wrong, token, "GET", platform + "/environments", null, 401, 401, 403, 403, 403, 403);
        expect(wrong, token, "GET", platform + "/environments/tn-acme", null, 401, 401, 403, 403, 403, 403);
        expect(wrong, token, "POST", platform + "/environments", "{}", 401, 401, 403, 403, 403, 403);
        expect(wrong, token, "GET", platform + "/servers", null, 401, 401, 403, 403, 403, 403);
        String traffic = Stack.get().url(LocalStack.Service.TRAFFIC);
        expect(wrong, token, "GET", traffic + "/routes", null, 401, 401, 403, 403, 403, 200);
        expect(wrong, token, "PUT", traffic + "/routes/tn-acme.example.com", "{\"environment\":\"tn-globex\"}", 401, 401, 403, 403, 403, 200);
        assertEquals(List.of(), wrong, "answers other than specified");

        HttpResponse<String> hidden = call("GET", api("/migrations/" + id), null, token.get("globex operator"));
        assertEquals("no migration " + id, json(hidden).path("detail").asText(), "as for a migration that does not exist");
        assertEquals(List.of(id), ids("tn-acme", token.get("acme viewer")));
        assertEquals(List.of(id), ids("tn-acme", token.get("admin")));
        assertEquals(List.of(), ids("tn-acme", token.get("globex operator")));
        JsonNode history = Stack.migration(id).path("history");
        assertEquals("otto", history.get(0).path("actor").asText(), "the history says who asked: " + history);

        // Another tenant's environment is, to a tenant, one that does not exist: the plan and the migration say so, and
        // nothing of it is touched.
        assertEquals("environment tn-globex does not exist", environmentCheck(json(call("POST", api("/plans"),
                "{\"environment\":\"tn-globex\",\"targetServer\":\"eu-2\"}", token.get("acme operator")))));
        assertEquals("environment tn-globex exists on server eu-1", environmentCheck(json(call("POST", api("/plans"),
                "{\"environment\":\"tn-globex\",\"targetServer\":\"eu-2\"}", token.get("globex operator")))));
        HttpResponse<String> foreign = call("POST", api("/migrations"), "{\"environment\":\"tn-globex\",\"targetServer\":\"eu-2\"}",
                token.get("acme operator"));
        assertEquals(201, foreign.statusCode(), "created as if for an environment that does not exist: " + foreign.body());
        JsonNode refused = Stack.awaitState(json(foreign).path("id").asText(), s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(60));
        assertEquals("preflight-failed", refused.path("state").asText());
        assertEquals("environment tn-globex does not exist", environmentCheck(refused), refused.toPrettyString());
        assertEquals(List.of(), ids("tn-globex", token.get("globex operator")), "globex does not see acme's attempt");
        assertEquals(404, Stack.HTTP.get(platform + "/environments/tn-globex-eu-2").status(), "no target was made");
    }

    @Test
    void aPortalRequestForAnotherTenantsEnvironmentIsDeadLetteredAndChangesNothingAndItsOwnTenantsIsTakenOnce() throws Exception {
        Stack.get();
        environment("tn-portal", "acme");
        String foreign = Envelopes.encode(Envelopes.wrap("/portal", new MigrationRequested("tn-portal", "nowhere", Strategy.SNAPSHOT, null,
                false, "gina@globex.test", null, false, null, null, "globex")));
        String own = Envelopes.encode(Envelopes.wrap("/portal", new MigrationRequested("tn-portal", "nowhere", Strategy.SNAPSHOT, null,
                false, "alice@acme.test", null, false, null, null, "acme")));
        publish(foreign);
        String reason = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (reason == null && System.nanoTime() < deadline) {
            reason = Stack.recorder().about("tn-portal").stream().filter(s -> s.topic().equals(Topics.DEAD_LETTERS))
                    .map(ProgressRecorder.Seen::reason).findFirst().orElse(null);
            Stack.sleep(100);
        }
        assertEquals("request refused: tenant globex has no environment tn-portal", reason);
        assertEquals(List.of(), ids("tn-portal", Stack.get().tokens().harness()), "nothing was created");

        publish(own);
        publish(own);
        Consumers.awaitCaughtUp(Stack.get().kafkaBootstrapServers(), Duration.ofSeconds(60));
        List<String> taken = ids("tn-portal", Stack.get().tokens().harness());
        assertEquals(1, taken.size(), "one migration, though delivered twice: " + taken);
        assertEquals("alice@acme.test", Stack.migration(taken.get(0)).path("history").get(0).path("actor").asText());
        assertEquals(1, Stack.recorder().about("tn-portal").stream().filter(s -> s.topic().equals(Topics.DEAD_LETTERS)).count(),
                "the repeat is not a poison message");

        // A confirmation sent for another tenant finds no such migration.
        publish(Topics.MIGRATION_REQUESTS, taken.get(0), Envelopes.encode(Envelopes.wrap("/portal",
                new MigrationConfirmed(UUID.fromString(taken.get(0)), "gina@globex.test", "globex"))));
        String refusal = null;
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (refusal == null && System.nanoTime() < deadline) {
            refusal = Stack.recorder().about(taken.get(0)).stream().filter(s -> s.topic().equals(Topics.DEAD_LETTERS))
                    .map(ProgressRecorder.Seen::reason).findFirst().orElse(null);
            Stack.sleep(100);
        }
        assertEquals("confirmation refused: no migration " + taken.get(0), refusal);
    }

    /** A bare environment of {@code owner} on eu-1 (no release, no database): enough to be planned, found or not. */
    private static void environment(String name, String owner) {
        Stack.HTTP.post(Stack.platform() + "/environments", Map.of("name", name, "owner", owner, "server", "eu-1",
                "plan", Map.of("size", "S", "ha", false))).orThrow();
    }

    private static void expect(List<String> wrong, Map<String, String> token, String method, String url, String body, int... statuses)
            throws Exception {
        for (int i = 0; i < WHO.size(); i++) {
            HttpResponse<String> answer = call(method, url, body, token.get(WHO.get(i)));
            if (answer.statusCode() != statuses[i]) {
                wrong.add(method + " " + url + " by " + WHO.get(i) + ": " + answer.statusCode() + " (expected " + statuses[i] + ") " + answer.body());
            } else if (answer.statusCode() >= 400 && !url.startsWith(Stack.platform())
                    && !answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                wrong.add(method + " " + url + " by " + WHO.get(i) + ": not problem details");
            }
        }
    }

    private static HttpResponse<String> call(String method, String url, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> ids(String environment, String token) throws Exception {
        HttpResponse<String> listed = call("GET", api("/migrations?environment=" + environment), null, token);
        assertEquals(200, listed.statusCode(), listed.body());
        List<String> ids = new ArrayList<>();
        json(listed).forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    /** The reason of the environment-exists check in a plan's {@code checks} or a migration's {@code preflight}. */
    private static String environmentCheck(JsonNode answer) {
        JsonNode checks = answer.has("checks") ? answer.path("checks") : answer.path("preflight");
        for (JsonNode c : checks) {
            if (c.path("id").asText().equals("environment-exists")) {
                return c.path("reason").asText();
            }
        }
        throw new AssertionError("no environment-exists check in " + answer);
    }

    private static void publish(String request) {
        publish(Topics.MIGRATION_REQUESTS, "tn-portal", request);
    }

    private static void publish(String topic, String key, String message) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.get().kafkaBootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, key, message));
        }
    }

    private static String api(String path) {
        return Stack.api() + path;
    }

    private static JsonNode json(HttpResponse<String> answer) throws Exception {
        return Envelopes.json().readTree(answer.body());
    }
}
