package dev.cutover.platform.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.Environment;
import dev.cutover.platform.NewEnvironment;
import dev.cutover.platform.Platform;
import dev.cutover.platform.PlatformException;
import dev.cutover.platform.Server;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The default adapter: the local platform's REST API (see the local-platform module's OpenAPI document). */
public final class LocalPlatformClient implements Platform {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final String token;
    private final Duration reconnect;

    /** {@code token}: the bearer token every call carries ({@code null}: none, for a platform that asks for none). */
    public LocalPlatformClient(URI base, Duration timeout, String token) {
        this(base, timeout, token, Duration.ZERO);
    }

    /** {@code reconnect}: how long a platform that does not listen (restarting after a crash) is asked again. */
    public LocalPlatformClient(URI base, Duration timeout, String token, Duration reconnect) {
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        this.timeout = timeout;
        this.token = token;
        this.reconnect = reconnect;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public Optional<Server> server(String name) {
        return find("servers/" + enc(name), Server.class);
    }

    @Override
    public Optional<Environment> environment(String name) {
        return find("environments/" + enc(name), Environment.class);
    }

    @Override
    public List<Environment> environmentsOn(String server) {
        return call("GET", "environments?server=" + enc(server), null,
                JSON.getTypeFactory().constructCollectionType(List.class, Environment.class));
    }

    @Override
    public Environment createEnvironment(NewEnvironment spec) {
        return call("POST", "environments", spec, JSON.constructType(Environment.class));
    }

    @Override
    public void copySkeleton(String source, String target) {
        call("POST", "environments/" + enc(target) + "/skeleton/copy", Map.of("from", source), null);
    }

    @Override
    public void deploy(String environment, String release) {
        call("POST", "environments/" + enc(environment) + "/deployments", Map.of("release", release), null);
    }

    @Override
    public void start(String environment) {
        call("POST", "environments/" + enc(environment) + "/start", null, null);
    }

    @Override
    public void stop(String environment) {
        call("POST", "environments/" + enc(environment) + "/stop", null, null);
    }

    @Override
    public void setMaintenance(String environment, boolean on) {
        flag(environment, "maintenance", on);
    }

    @Override
    public void setFrozen(String environment, boolean on) {
        flag(environment, "frozen", on);
    }

    @Override
    public void setProtected(String environment, boolean on) {
        flag(environment, "protected", on);
    }

    @Override
    public void fenceWrites(String environment, boolean fenced) {
        call("PUT", "environments/" + enc(environment) + "/write-fence", Map.of("fenced", fenced), null);
    }

    @Override
    public void makeDefault(String environment) {
        flag(environment, "default", true);
    }

    @Override
    public void destroy(String environment) {
        try {
            call("DELETE", "environments/" + enc(environment), null, null);
        } catch (PlatformException e) {
            // Gone already (a retried step): destroying it again changes nothing.
            if (!e.notFound()) {
                throw e;
            }
        }
    }

    @Override
    public List<String> pendingSchemaMigrations(String environment) {
        PendingMigrations answer = call("GET", "environments/" + enc(environment) + "/schema-migrations", null,
                JSON.constructType(PendingMigrations.class));
        return answer.pending();
    }

    /** The local platform's answer about schema migrations. */
    public record PendingMigrations(List<String> pending) {
    }

    @Override
    public DatabaseCredentials credentials(String environment, String database) {
        return call("GET", "environments/" + enc(environment) + "/databases/" + enc(database) + "/credentials", null,
                JSON.constructType(DatabaseCredentials.class));
    }

    private void flag(String environment, String flag, boolean on) {
        call("PATCH", "environments/" + enc(environment) + "/flags", Map.of(flag, on), null);
    }

    private <T> Optional<T> find(String path, Class<T> type) {
        try {
            return Optional.of(call("GET", path, null, JSON.constructType(type)));
        } catch (PlatformException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private <T> T call(String method, String path, Object body, JavaType answer) {
        URI uri = base.resolve(path);
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = send(request.build());
            if (response.statusCode() >= 400) {
                throw new PlatformException(response.statusCode(), problem(response));
            }
            return answer == null || response.body().isEmpty() ? null : JSON.readValue(response.body(), answer);
        } catch (IOException e) {
            throw new PlatformException(503, "local platform unreachable at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException(503, "interrupted while calling the local platform", e);
        }
    }

    /**
     * A platform restarting after a crash comes back within seconds: a refused connection is tried again, doubling the
     * pause, for up to {@code reconnect} (nothing was sent, so even a POST is safe to repeat), and so is a GET, PUT or
     * DELETE whose connection broke mid-answer (repeating them changes nothing more).
     */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        boolean repeatable = List.of("GET", "PUT", "DELETE").contains(request.method());
        long deadline = System.nanoTime() + reconnect.toNanos();
        for (long pause = 100; ; pause = Math.min(pause * 2, 2000)) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                boolean broke = e instanceof ConnectException || repeatable && !(e instanceof java.net.http.HttpTimeoutException);
                if (!broke || System.nanoTime() + pause * 1_000_000 > deadline) {
                    throw e;
                }
                Thread.sleep(pause);
            }
        }
    }

    /** The RFC 9457 problem's detail (or title) the platform answered with. */
    private static String problem(HttpResponse<String> response) {
        try {
            JsonNode problem = JSON.readTree(response.body());
            String detail = problem.path("detail").asText(problem.path("title").asText(""));
            return detail.isEmpty() ? "HTTP " + response.statusCode() : detail;
        } catch (IOException e) {
            return "HTTP " + response.statusCode();
        }
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
