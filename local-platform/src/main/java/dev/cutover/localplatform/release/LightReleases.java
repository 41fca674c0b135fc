package dev.cutover.localplatform.release;

import dev.cutover.platform.PlatformException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.VertxOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The release {@value #RELEASE}: a tiny app served inside the platform, one HTTP server per environment, all on one event
 * loop, so that hundreds of environments (and migrations) fit on two cores for the load benchmark, where a
 * process per environment would not. It answers every request with the environment and the server that served it:
 * which side a request reached is all a migration changes for it. It has no schema to migrate.
 * That loop is a Vert.x of its own: on the platform's, metrics instrumented each server, and 2,000 of them filled the
 * platform's heap.
 */
@ApplicationScoped
public class LightReleases {

    public static final String RELEASE = "light";

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));

    private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();

    void start(String environment, int port, Map<String, String> env) {
        String answer = new JsonObject().put("environment", env.get("CUTOVER_ENVIRONMENT"))
                .put("server", env.get("CUTOVER_SERVER")).put("release", RELEASE).encode();
        HttpServer server = vertx.createHttpServer().requestHandler(request ->
                request.response().putHeader("content-type", "application/json").end(answer));
        try {
            server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new PlatformException(500, "cannot start release " + RELEASE + " of " + environment + ": " + e.getMessage(), e);
        }
        HttpServer before = servers.put(environment, server);
        if (before != null) {
            before.close();
        }
    }

    boolean serves(String environment) {
        return servers.containsKey(environment);
    }

    void closeAll(@Observes ShutdownEvent ignored) {
        vertx.close();
    }

    void stop(String environment) {
        HttpServer server = servers.remove(environment);
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
