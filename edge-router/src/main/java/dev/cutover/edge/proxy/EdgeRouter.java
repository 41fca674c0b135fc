package dev.cutover.edge.proxy;

import dev.cutover.platform.router.Backends;
import dev.cutover.platform.router.HostnameRoute;
import dev.cutover.platform.router.Router;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The edge router: a reverse proxy from each hostname to its environment's backend, with keep-alive and streamed bodies.
 * During a freeze it holds an environment's new requests in a bounded queue instead of failing them, and releases them
 * wherever the route points once the freeze ends: the target after a switch-over, the source otherwise. The traffic
 * service drives it through the control API; its routes and freezes are kept in {@link RouteFile}, so a restart serves
 * them at once and a freeze goes on (the requests on the dead process's connections are lost with it).
 */
@ApplicationScoped
public class EdgeRouter implements Router {

    private static final Logger LOG = Logger.getLogger(EdgeRouter.class);
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    @Inject
    Backends backends;

    @Inject
    RouteFile routeFile;

    @ConfigProperty(name = "cutover.router.port")
    int port;

    @ConfigProperty(name = "cutover.router.backend-timeout")
    Duration backendTimeout;

    @ConfigProperty(name = "cutover.router.hold.max-duration")
    Duration maxHold;

    @ConfigProperty(name = "cutover.router.hold.max-requests")
    int maxHeld;

    /** The routes, read on the event loop (which must not wait on the database). */
    private final Map<String, HostnameRoute> routes = new ConcurrentHashMap<>();
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final List<HttpServer> servers = new ArrayList<>();
    private Vertx vertx;
    private HttpClient client;

    /** An environment's freeze: the requests waiting for it to end. */
    private static final class Hold {
        final long startedNanos;
        final long startedAtMillis;
        final Queue<Held> queue = new ArrayDeque<>();
        boolean expired;
        int count;

        /** Begun {@code ago} milliseconds ago (0, or before this process started). */
        Hold(long ago) {
            startedNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(ago);
            startedAtMillis = System.currentTimeMillis() - ago;
        }
    }

    private record Held(HttpServerRequest request, Context context) {
    }

    void start(@Observes StartupEvent ignored) throws Exception {
        routeFile.load().forEach(r -> routes.put(r.hostname(), r));
        // Its own Vert.x: the proxied traffic gets event loops of its own, and Quarkus' HTTP metrics, which would keep a
        // timer for every distinct path proxied, don't instrument it.
        int cores = Runtime.getRuntime().availableProcessors();
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores).setWorkerPoolSize(4));
        // Before it listens: no request of a frozen environment gets through in between.
        restoreHolds();
        // Idle connections are closed after 4 s, before common backends close theirs (Node.js after 5 s, the JDK's
        // server after 30 s), so the router rarely picks one the backend is closing.
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(4).setMaxPoolSize(100)
                .setConnectTimeout(2000));
        // One server per core, each on its own event loop, sharing the port: Vert.x spreads the connections over them.
        // Vert.x shares a port only when it is named: 0 (any free port, as the tests ask) is resolved first.
        int listening = port != 0 ? port : freePort();
        for (int i = 0; i < cores; i++) {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS))
                    .requestHandler(this::handle);
            server.listen(listening, "0.0.0.0").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            servers.add(server);
        }
        LOG.infof("edge router listening on port %d (%d event loops, %d routes)", listening, servers.size(), routes.size());
    }

    /** The freezes a crashed router was holding go on, each until its bound counted from when it began. */
    private void restoreHolds() {
        long now = System.currentTimeMillis();
        routeFile.loadHolds().forEach((environment, startedAt) -> {
            long ago = Math.max(0, now - startedAt);
            if (ago < maxHold.toMillis()) {
                Hold hold = new Hold(ago);
                holds.put(environment, hold);
                vertx.setTimer(maxHold.toMillis() - ago, t -> expire(environment, hold, "the freeze ran past " + maxHold.toMillis() + " ms"));
                LOG.infof("freeze of %s goes on after a restart (begun %d ms ago)", environment, ago);
            }
        });
        keepHolds();
    }

    /** The freezes under way, on disk before the traffic service learns of a change (under the routes' lock). */
    private void keepHolds() {
        synchronized (routeFile) {
            Map<String, Long> startedAt = new HashMap<>();
            holds.forEach((environment, hold) -> startedAt.put(environment, hold.startedAtMillis));
            routeFile.saveHolds(startedAt);
        }
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (vertx != null) {
            vertx.close();
        }
    }

    public int port() {
        return servers.get(0).actualPort();
    }

    /**
     * Kept on disk before it is answered: a route the traffic service was told is taken survives a crash of the router.
     * Under the file's lock, not the holds' one, which the event loops take for every request.
     */
    @Override
    public void apply(HostnameRoute route) {
        synchronized (routeFile) {
            routes.put(route.hostname(), route);
            routeFile.save(routes.values());
        }
    }

    /** Several routes, kept on disk once. */
    @Override
    public void applyAll(List<HostnameRoute> changed) {
        synchronized (routeFile) {
            changed.forEach(route -> routes.put(route.hostname(), route));
            routeFile.save(routes.values());
        }
    }

    @Override
    public void remove(String hostname) {
        synchronized (routeFile) {
            if (routes.remove(hostname) != null) {
                routeFile.save(routes.values());
            }
        }
    }

    public List<HostnameRoute> routes() {
        return List.copyOf(routes.values());
    }

    /** Begins a freeze and waits (at most the hold bound) until the environment's in-flight requests have finished. */
    @Override
    public boolean hold(String environment) {
        // Under the lock admit() takes: a request either is counted in flight before this hold exists, so the wait below
        // sees it, or finds the hold and is queued. Nothing gets past in between.
        synchronized (this) {
            holds.computeIfAbsent(environment, e -> {
                Hold hold = new Hold(0);
                vertx.setTimer(maxHold.toMillis(), t -> expire(e, hold, "the freeze ran past " + maxHold.toMillis() + " ms"));
                return hold;
            });
        }
        keepHolds();
        long deadline = System.nanoTime() + maxHold.toNanos();
        while (inFlight(environment).get() > 0 && System.nanoTime() < deadline) {
            sleep(2);
        }
        return inFlight(environment).get() == 0;
    }

    @Override
    public boolean holding(String environment) {
        Hold hold = holds.get(environment);
        synchronized (this) {
            return hold != null && !hold.expired;
        }
    }

    @Override
    public Freeze release(String environment) {
        Hold hold;
        synchronized (this) {
            hold = holds.remove(environment);
        }
        if (hold == null) {
            return new Freeze(0, 0);
        }
        // Off the disk first: a router restarted after this must not hold the environment again.
        keepHolds();
        long millis = (System.nanoTime() - hold.startedNanos) / 1_000_000;
        Held held;
        while ((held = hold.queue.poll()) != null) {
            Held h = held;
            h.context().runOnContext(v -> dispatch(h.request()));
        }
        return new Freeze(millis, hold.count);
    }

    private void expire(String environment, Hold hold, String why) {
        synchronized (this) {
            if (holds.get(environment) != hold || hold.expired) {
                return;
            }
            hold.expired = true;
        }
        LOG.warnf("freeze of %s released to its current route: %s", environment, why);
        release(environment);
    }

    private void handle(HttpServerRequest request) {
        request.pause();
        dispatch(request);
    }

    private void dispatch(HttpServerRequest request) {
        String host = hostname(request);
        HostnameRoute route = routes.get(host);
        if (route == null) {
            answer(request.response(), 404, "{\"error\":\"no environment answers " + host + "\"}");
            return;
        }
        if (route.moved(OffsetDateTime.now())) {
            request.response().putHeader("Location", "http://" + route.movedTo() + request.uri());
            answer(request.response(), 301, "{\"error\":\"" + host + " has moved to " + route.movedTo() + "\"}");
            return;
        }
        String environment = route.environment();
        AtomicInteger counter = admit(environment, request);
        if (counter != null) {
            forward(request, environment, counter);
        }
    }

    /**
     * Queues the request if its environment is frozen (answers null), else counts it in flight and answers the counter.
     * Deciding and counting are one act under the lock {@link #hold} takes: checked and counted apart, a request could
     * pass the check, lose its CPU, and reach the source after the freeze began and found nothing in flight.
     */
    private synchronized AtomicInteger admit(String environment, HttpServerRequest request) {
        Hold hold = holds.get(environment);
        if (hold != null && !hold.expired) {
            if (hold.count < maxHeld) {
                hold.count++;
                hold.queue.add(new Held(request, Vertx.currentContext()));
                return null;
            }
            vertx.runOnContext(v -> expire(environment, hold, "more than " + maxHeld + " requests waited"));
        }
        AtomicInteger counter = inFlight(environment);
        counter.incrementAndGet();
        return counter;
    }

    private void forward(HttpServerRequest request, String environment, AtomicInteger counter) {
        HttpServerResponse response = request.response();
        boolean bodiless = !request.headers().contains("Content-Length") && !request.headers().contains("Transfer-Encoding");
        if (bodiless) {
            request.resume();
        }
        // A pooled connection that the backend closed while idle fails the request before any answer. A safe request
        // without a body is sent once more, as nginx's proxy_next_upstream does; anything else may have had an effect.
        boolean retry = bodiless && SAFE.contains(request.method());
        send(request, environment, bodiless)
                .recover(error -> retry && error instanceof HttpClosedException ? send(request, environment, true) : Future.failedFuture(error))
                .onSuccess(incoming -> {
                    response.setStatusCode(incoming.statusCode());
                    copyHeaders(incoming.headers(), response.headers());
                    incoming.pipeTo(response).onComplete(done -> counter.decrementAndGet());
                }).onFailure(error -> {
                    counter.decrementAndGet();
                    backends.forget(environment);
                    // The backend's name and address stay private: the caller learns only that it failed.
                    LOG.warnf("backend of %s failed: %s", environment, error.getMessage());
                    if (error instanceof TimeoutException) {
                        answer(response, 504, "{\"error\":\"the application did not answer within " + backendTimeout.toSeconds() + " s\"}");
                    } else {
                        answer(response, 502, "{\"error\":\"the application did not answer\"}");
                    }
                });
    }

    private Future<HttpClientResponse> send(HttpServerRequest request, String environment, boolean bodiless) {
        return backendUrl(environment).compose(url -> {
            URI backend = URI.create(url);
            RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(backend.getHost())
                    .setPort(backend.getPort()).setURI(request.uri()).setIdleTimeout(backendTimeout.toMillis());
            return client.request(options);
        }).compose(outgoing -> {
            copyHeaders(request.headers(), outgoing.headers());
            outgoing.putHeader("X-Forwarded-Host", hostname(request));
            // Without a body it is sent as is, not as an empty chunked stream.
            return bodiless ? outgoing.send() : outgoing.send(request);
        });
    }

    /** The backend's URL, asked of the platform off the event loop when not known yet; failed if the environment doesn't run. */
    private Future<String> backendUrl(String environment) {
        String known = backends.known(environment);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return vertx.executeBlocking(() -> backends.resolve(environment).orElseThrow(
                () -> new IllegalStateException("environment " + environment + " does not run")), false);
    }

    private AtomicInteger inFlight(String environment) {
        return inFlight.computeIfAbsent(environment, e -> new AtomicInteger());
    }

    private static void copyHeaders(MultiMap from, MultiMap to) {
        from.forEach(h -> {
            String name = h.getKey().toLowerCase();
            if (!HOP_BY_HOP.contains(name) && !name.equals("host")) {
                to.add(h.getKey(), h.getValue());
            }
        });
    }

    private static void answer(HttpServerResponse response, int status, String json) {
        if (!response.ended()) {
            response.setStatusCode(status).putHeader("Content-Type", "application/json").end(json);
        }
    }

    /** The hostname asked for: the Host header in HTTP/1.1, the :authority in HTTP/2. */
    private static String hostname(HttpServerRequest request) {
        return request.authority() == null ? "" : request.authority().host().toLowerCase();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
