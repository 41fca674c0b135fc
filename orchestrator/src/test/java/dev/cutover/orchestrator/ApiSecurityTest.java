package dev.cutover.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static dev.cutover.testkit.TestSupport.awaitRecords;
import static dev.cutover.testkit.TestSupport.uniqueKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Topics;
import dev.cutover.contracts.preflight.RunPreflight;
import dev.cutover.stack.Tokens;
import dev.cutover.testkit.SharedTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No open door: every API asks for a token of the right issuer, unexpired, with a role that may do what is asked. */
@QuarkusTest
@QuarkusTestResource(value = SharedTestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class ApiSecurityTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATE = "{\"environment\":\"secured\",\"targetServer\":\"eu-2\"}";

    @TestHTTPResource("/")
    URL root;

    @Test
    void withoutATokenNothingIsAnsweredButTheProbesTheDocumentsAndTheDashboardPage() throws Exception {
        assertEquals(401, send("GET", "migrations", null, null));
        assertEquals(401, send("POST", "migrations", CREATE, null));
        assertEquals(401, send("GET", "migrations/events", null, null));
        assertEquals(200, send("GET", "q/health/live", null, null));
        assertEquals(200, send("GET", "q/openapi", null, null));
        assertEquals(200, send("GET", "", null, null));
        assertEquals(200, send("GET", "dashboard.js", null, null));
        HttpResponse<String> refused = call("GET", "migrations", null, null);
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(null));
        assertEquals("this API needs a bearer token: send Authorization: Bearer TOKEN (a browser: the cookie cutover_token)",
                JSON.readTree(refused.body()).path("detail").asText());
        assertEquals("Bearer", refused.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void aViewerWatchesAndOnlyAnOperatorActs() throws Exception {
        Tokens tokens = Tokens.forTests();
        String viewer = tokens.mint("vera", "acme", Duration.ofMinutes(5), "viewer");
        assertEquals(200, send("GET", "migrations", null, viewer));
        assertEquals(403, send("POST", "migrations", CREATE, viewer));
        assertEquals(403, send("POST", "plans", CREATE, viewer));
        HttpResponse<String> forbidden = call("POST", "migrations", CREATE, viewer);
        assertEquals("application/problem+json", forbidden.headers().firstValue("Content-Type").orElse(null));
        assertEquals("the token's roles (viewer) may not POST here: docs/security.md says which role may do what",
                JSON.readTree(forbidden.body()).path("detail").asText());
        String operator = tokens.mint("otto", "acme", Duration.ofMinutes(5), "operator");
        assertEquals(422, send("POST", "migrations", "{}", operator), "an operator gets past the door (and the input check)");
    }

    @Test
    void anExpiredTokenOrOneFromAnotherIssuerIsRefused() throws Exception {
        assertEquals(401, send("GET", "migrations", null, Tokens.forTests().mint("old", "acme", Duration.ofSeconds(-120), "operator")));
        Tokens stranger = Tokens.in(Files.createTempDirectory("stranger-keys"));
        assertEquals(401, send("GET", "migrations", null, stranger.mint("eve", "acme", Duration.ofMinutes(5), "operator")));
        assertEquals(401, send("GET", "migrations", null, "not-a-token"));
        assertEquals("the bearer token was refused: it has expired, is not signed by the issuer this service trusts, or is not a JWT",
                JSON.readTree(call("GET", "migrations", null, "not-a-token").body()).path("detail").asText());
    }

    @Test
    void aTenantSeesAndMovesItsOwnMigrationsOnlyAndAnotherTenantsAreOnesThatDoNotExist() throws Exception {
        Tokens tokens = Tokens.forTests();
        String acme = tokens.mint("otto", "acme", Duration.ofMinutes(5), "operator");
        String acmeViewer = tokens.mint("vera", "acme", Duration.ofMinutes(5), "viewer");
        String globex = tokens.mint("gus", "globex", Duration.ofMinutes(5), "operator");
        String admin = tokens.mint("ada", null, Duration.ofMinutes(5), "admin");
        String noTenant = tokens.mint("nobody", null, Duration.ofMinutes(5), "operator");
        String environment = uniqueKey("tenanted");
        String key = uniqueKey("key");

        HttpResponse<String> created = call("POST", "migrations", "{\"environment\":\"" + environment + "\",\"targetServer\":\"eu-2\"}", acme,
                "Idempotency-Key", key);
        assertEquals(201, created.statusCode(), created.body());
        String id = JSON.readTree(created.body()).path("id").asText();
        // No platform answers here, so the migration is the asking tenant's, and preflight holds the environment to it.
        RunPreflight preflight = (RunPreflight) Envelopes.read(awaitRecords(Topics.PREFLIGHT_COMMANDS, id, 1).get(0).value());
        assertEquals("acme", preflight.tenant());

        assertEquals(List.of(id), ids(call("GET", "migrations?environment=" + environment, null, acmeViewer)));
        assertEquals(List.of(id), ids(call("GET", "migrations?environment=" + environment, null, admin)));
        assertEquals(List.of(), ids(call("GET", "migrations?environment=" + environment, null, globex)));
        assertEquals(List.of(), ids(call("GET", "migrations?environment=" + environment, null, noTenant)), "a token of no tenant sees none");
        assertEquals(200, call("GET", "migrations/" + id, null, acmeViewer).statusCode());
        assertEquals(200, call("GET", "migrations/" + id, null, admin).statusCode());
        HttpResponse<String> hidden = call("GET", "migrations/" + id, null, globex);
        assertEquals(404, hidden.statusCode());
        assertEquals("no migration " + id, JSON.readTree(hidden.body()).path("detail").asText(), "as for one that does not exist");

        for (String action : List.of("confirm", "force", "abort", "abort?force=true", "pause", "resume", "repair", "rollback", "finalize")) {
            String path = "migrations/" + id + "/" + action;
            assertEquals(403, call("POST", path, null, acmeViewer).statusCode(), action + " by a viewer");
            HttpResponse<String> foreign = call("POST", path, null, globex);
            assertEquals(404, foreign.statusCode(), action + " by another tenant: " + foreign.body());
            assertEquals("no migration " + id, JSON.readTree(foreign.body()).path("detail").asText());
            assertEquals(404, call("POST", path, null, noTenant).statusCode(), action + " by a token of no tenant");
        }
        assertEquals(409, call("POST", "migrations/" + id + "/confirm", null, acme).statusCode(), "its tenant's operator gets to the saga");
        assertEquals(409, call("POST", "migrations/" + id + "/rollback", null, admin).statusCode(), "so does an admin");

        // Another tenant's request for the same environment: not told that one runs (nor which), and not given acme's
        // migration for acme's Idempotency-Key.
        String sameEnvironment = "{\"environment\":\"" + environment + "\",\"targetServer\":\"eu-2\"}";
        assertEquals(422, call("POST", "migrations", sameEnvironment, globex, "Idempotency-Key", key).statusCode());
        HttpResponse<String> theirs = call("POST", "migrations", sameEnvironment, globex);
        assertEquals(201, theirs.statusCode(), theirs.body());
        assertEquals("globex", ((RunPreflight) Envelopes.read(awaitRecords(Topics.PREFLIGHT_COMMANDS,
                JSON.readTree(theirs.body()).path("id").asText(), 1).get(0).value())).tenant());
        assertEquals(200, call("POST", "migrations", sameEnvironment, acme, "Idempotency-Key", key).statusCode(), "acme's own key again");
        assertEquals(409, call("POST", "migrations", sameEnvironment, acme).statusCode(), "acme is told its own one runs");

        HttpResponse<String> aborted = call("POST", "migrations/" + id + "/abort", null, acme);
        assertEquals(202, aborted.statusCode(), aborted.body());
        JsonNode history = JSON.readTree(call("GET", "migrations/" + id, null, admin).body()).path("history");
        assertEquals(List.of("otto", "otto"), List.of(history.get(0).path("actor").asText(), history.get(1).path("actor").asText()),
                "the history says who created and who aborted: " + history);
    }

    private static List<String> ids(HttpResponse<String> listed) throws Exception {
        assertEquals(200, listed.statusCode(), listed.body());
        List<String> ids = new java.util.ArrayList<>();
        JSON.readTree(listed.body()).forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    private HttpResponse<String> call(String method, String path, String body, String token, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        // The event stream would stay open: only its status matters here.
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
