package dev.cutover.platform.router;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The edge router (the {@code edge-router} process), driven over its control API: {@code PUT/DELETE /routes/{hostname}},
 * {@code PUT /routes} (several at once),
 * {@code POST/GET/DELETE /freezes/{environment}}. The router is a process of its own so that the traffic service (and
 * the rest of the control plane) can crash and restart while every environment's traffic keeps flowing.
 */
final class EdgeRouterClient implements Router {

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI base;
    private final String token;
    private final Duration timeout;
    private final Duration reconnect;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    EdgeRouterClient(URI base, String token, Duration timeout, Duration reconnect) {
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        this.token = token;
        this.timeout = timeout;
        this.reconnect = reconnect;
    }

    @Override
    public void apply(HostnameRoute route) {
        call("PUT", "routes/" + enc(route.hostname()), body(route, false));
    }

    /** One {@code PUT /routes}: inside a freeze, each call to the router is time held requests wait. */
    @Override
    public void applyAll(List<HostnameRoute> routes) {
        call("PUT", "routes", routes.stream().map(r -> body(r, true)).toList());
    }

    private static Map<String, Object> body(HostnameRoute route, boolean named) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (named) {
            body.put("hostname", route.hostname());
        }
        body.put("environment", route.environment());
        body.put("forwardUntil", route.forwardUntil() == null ? null : route.forwardUntil().toString());
        body.put("movedTo", route.movedTo());
        return body;
    }

    @Override
    public void remove(String hostname) {
        call("DELETE", "routes/" + enc(hostname), null);
    }

    @Override
    public boolean hold(String environment) {
        return call("POST", "freezes/" + enc(environment), null).path("drained").asBoolean();
    }

    @Override
    public boolean holding(String environment) {
        return call("GET", "freezes/" + enc(environment), null).path("holding").asBoolean();
    }

    @Override
    public Freeze release(String environment) {
        JsonNode freeze = call("DELETE", "freezes/" + enc(environment), null);
        return new Freeze(freeze.path("millis").asLong(), freeze.path("heldRequests").asInt());
    }

    private JsonNode call(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                    .header("Accept", "application/json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = send(request.build());
            if (response.statusCode() >= 400) {
                JsonNode problem = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
                throw new RouterException("the edge router refused " + method + " /" + path + " (" + response.statusCode() + "): "
                        + problem.path("detail").asText(response.body()));
            }
            return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RouterException("the edge router at " + base + " did not answer " + method + " /" + path + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouterException("interrupted while calling the edge router");
        }
    }

    /**
     * A router restarting (after a crash) listens again within seconds, with its routes and freezes: a refused
     * connection, or one it dropped mid-call as it died, is tried again for a while. Every call of its API may be sent
     * twice (routes are put or deleted, a freeze begun again is the same freeze, a second release finds none); one
     * that timed out is not, the router being there and slow.
     */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + reconnect.toNanos();
        for (long pause = 50; ; pause = Math.min(pause * 2, 1000)) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (e instanceof HttpTimeoutException) {
                    throw e;
                }
                if (System.nanoTime() + pause * 1_000_000 > deadline) {
                    throw e;
                }
                Thread.sleep(pause);
            }
        }
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
