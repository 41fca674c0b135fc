package dev.cutover.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.api.Test;

/** No open door: every API asks for a token of the right issuer, unexpired, with a role that may do what is asked. */
@QuarkusTest
@QuarkusTestResource(value = SharedTestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class ApiSecurityTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
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
    }

    @Test
    void aViewerWatchesAndOnlyAnOperatorActs() throws Exception {
        Tokens tokens = Tokens.forTests();
        String viewer = tokens.mint("vera", "acme", Duration.ofMinutes(5), "viewer");
        assertEquals(200, send("GET", "migrations", null, viewer));
        assertEquals(403, send("POST", "migrations", CREATE, viewer));
        assertEquals(403, send("POST", "plans", CREATE, viewer));
        String operator = tokens.mint("otto", "acme", Duration.ofMinutes(5), "operator");
        assertEquals(422, send("POST", "migrations", "{}", operator), "an operator gets past the door (and the input check)");
    }

    @Test
    void anExpiredTokenOrOneFromAnotherIssuerIsRefused() throws Exception {
        assertEquals(401, send("GET", "migrations", null, Tokens.forTests().mint("old", "acme", Duration.ofSeconds(-120), "operator")));
        Tokens stranger = Tokens.in(Files.createTempDirectory("stranger-keys"));
        assertEquals(401, send("GET", "migrations", null, stranger.mint("eve", "acme", Duration.ofMinutes(5), "operator")));
        assertEquals(401, send("GET", "migrations", null, "not-a-token"));
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
