package dev.cutover.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.contracts.Envelopes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small JSON-over-HTTP client for the run command, the demo and the end-to-end tests. */
public final class Http {

    /** An answer: status, JSON body (null when empty) and headers. */
    public record Answer(int status, JsonNode body, Map<String, java.util.List<String>> headers) {
        public Answer orThrow() {
            if (status >= 400) {
                throw new IllegalStateException("HTTP " + status + ": " + (body == null ? "" : body.path("detail").asText(body.toString())));
            }
            return this;
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    private static final ObjectMapper JSON = Envelopes.json();
    /** The bearer token every request of the harness carries, once a stack has issued one ({@link Tokens}). */
    private static volatile String token;

    /** From now on every request carries this bearer token ({@code null}: none). */
    public static void authorize(String bearer) {
        token = bearer;
    }
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();

    public Answer get(String url) {
        return send("GET", url, null, Map.of());
    }

    public Answer post(String url, Object body) {
        return send("POST", url, body, Map.of());
    }

    public Answer put(String url, Object body) {
        return send("PUT", url, body, Map.of());
    }

    public Answer send(String method, String url, Object body, Map<String, String> headers) {
        try {
            return sendRaw(method, url, body == null ? null : JSON.writeValueAsBytes(body), headers);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e.getMessage(), e);
        }
    }

    /** Sends {@code body} as it is (as JSON when there is one), whatever it holds: for bad input on purpose. */
    public Answer sendRaw(String method, String url, byte[] body, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
            if (token != null && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Authorization"))) {
                request.header("Authorization", "Bearer " + token);
            }
            headers.forEach(request::header);
            if (body != null) {
                if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
                    request.header("Content-Type", "application/json");
                }
                request.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? null : parse(response.body());
            return new Answer(response.statusCode(), json, response.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }
}
