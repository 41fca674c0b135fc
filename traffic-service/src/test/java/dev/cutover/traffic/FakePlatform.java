package dev.cutover.traffic;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A stand-in for the platform the traffic service asks where an environment's release answers: {@code GET
 * /environments/{name}}, as the local platform answers it. Tests say what it reports with {@link #environment}. The
 * reports live in system properties, so they reach the server whichever class loader Quarkus started it in. Also puts
 * the edge router on a free port.
 */
public class FakePlatform implements QuarkusTestResourceLifecycleManager {

    private static final String PREFIX = "cutover.test.fake-platform.environment.";

    private HttpServer server;

    /** From now on the platform reports {@code name} as running, its release answering at {@code backendUrl}. */
    static void environment(String name, String backendUrl) {
        System.setProperty(PREFIX + name, """
                {"name":"%s","owner":"acme","server":"eu-1","region":"eu","plan":{"size":"s","ha":false,"memoryMb":256},
                 "release":"v1","status":"running","backendUrl":"%s",
                 "flags":{"maintenance":false,"frozen":false,"protected":false,"default":true},"databases":[]}"""
                .formatted(name, backendUrl));
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
        return Map.of(
                "cutover.platform.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "cutover.router.port", "0");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
