package dev.cutover.traffic;

import com.sun.net.httpserver.HttpServer;
import dev.cutover.stack.Ports;
import dev.cutover.stack.ServiceProcess;
import dev.cutover.stack.Tokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stand-in for the platform the traffic service and the edge router ask where an environment's release answers:
 * {@code GET /environments/{name}}, as the local platform answers it. Tests say what it reports with {@link #environment}.
 * The reports live in system properties, so they reach the server whichever class loader Quarkus started it in. Also
 * starts the real edge router (the packaged {@code edge-router} module) as its own process, on free ports, asking this
 * platform; the traffic service drives it.
 */
public class FakePlatform implements QuarkusTestResourceLifecycleManager {

    private static final String PREFIX = "cutover.test.fake-platform.environment.";
    private static final String ROUTER_PORT = "cutover.test.edge-router.port";
    private static final Path RUN = Path.of("target/edge-router");

    private HttpServer server;
    private static Map<String, String> routerEnvironment;
    private static ServiceProcess router;

    /** From now on the platform reports {@code name} as running, its release answering at {@code backendUrl}. */
    static void environment(String name, String backendUrl) {
        System.setProperty(PREFIX + name, """
                {"name":"%s","owner":"acme","server":"eu-1","region":"eu","plan":{"size":"s","ha":false,"memoryMb":256},
                 "release":"v1","status":"running","backendUrl":"%s",
                 "flags":{"maintenance":false,"frozen":false,"protected":false,"default":true},"databases":[]}"""
                .formatted(name, backendUrl));
    }

    /** The port the edge router proxies on. */
    static int routerPort() {
        return Integer.getInteger(ROUTER_PORT);
    }

    /** Kills the edge router without letting it shut down, as a crash would, and starts it again on the same ports. */
    static synchronized void crashAndRestartRouter() throws IOException {
        router.kill();
        router = startRouter();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/environments/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/environments/".length());
            String json = exchange.getRequestMethod().equals("GET") ? System.getProperty(PREFIX + name) : null;
            byte[] body = (json != null ? json
                    : "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"environment " + name + " does not exist\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", json != null ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(json != null ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        String platformUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        Tokens tokens = Tokens.forTests();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CUTOVER_HTTP_PORT", String.valueOf(Ports.free()));
        env.put("CUTOVER_ROUTER_PORT", String.valueOf(Ports.free()));
        env.put("CUTOVER_PLATFORM_URL", platformUrl);
        env.put("CUTOVER_PLATFORM_TOKEN", tokens.service("edge-router", false));
        env.put("CUTOVER_JWT_PUBLIC_KEY", tokens.publicKeyFile().toString());
        env.put("CUTOVER_ROUTER_ROUTES_FILE", RUN.resolve("routes.json").toAbsolutePath().toString());
        // The silent-backend test waits for this.
        env.put("CUTOVER_ROUTER_BACKEND_TIMEOUT", "2s");
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        try {
            Files.deleteIfExists(RUN.resolve("routes.json"));
            routerEnvironment = env;
            router = startRouter();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty(ROUTER_PORT, env.get("CUTOVER_ROUTER_PORT"));
        return Map.of("cutover.platform.url", platformUrl, "cutover.router.url", router.url(),
                "cutover.router.token", tokens.service("traffic-service", false));
    }

    private static ServiceProcess startRouter() throws IOException {
        ServiceProcess process = ServiceProcess.start("edge-router", Path.of("../edge-router/target/quarkus-app/quarkus-run.jar"),
                routerEnvironment, Integer.parseInt(routerEnvironment.get("CUTOVER_HTTP_PORT")), RUN, RUN.toAbsolutePath().toString());
        process.awaitReady(Duration.ofSeconds(60));
        return process;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (router != null) {
            try {
                router.close();
            } catch (IOException e) {
                // the JVM is going away
            }
        }
    }
}
