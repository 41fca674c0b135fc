package dev.cutover.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A stand-in orchestrator: answers "METHOD /path?query" from a script; the last answer for a request repeats. */
final class FakeApi implements AutoCloseable {

    record Reply(int status, String body) {
    }

    record Seen(String method, String uri, Map<String, List<String>> headers, String body) {
    }

    private final HttpServer server;
    private final Map<String, Deque<Reply>> replies = new HashMap<>();
    final List<Seen> seen = new ArrayList<>();

    FakeApi() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String key = exchange.getRequestMethod() + " " + exchange.getRequestURI();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Reply reply;
            synchronized (this) {
                seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                        Map.copyOf(exchange.getRequestHeaders()), body));
                Deque<Reply> queue = replies.get(key);
                reply = queue == null ? new Reply(404, problem(404, "HTTP 404 Not Found"))
                        : queue.size() > 1 ? queue.poll() : queue.peek();
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type",
                    reply.status() >= 400 ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized FakeApi on(String request, int status, String... bodies) {
        Deque<Reply> queue = replies.computeIfAbsent(request, k -> new ArrayDeque<>());
        for (String b : bodies) {
            queue.add(new Reply(status, b));
        }
        if (bodies.length == 0) {
            queue.add(new Reply(status, ""));
        }
        return this;
    }

    static String problem(int status, String detail) {
        return "{\"type\":\"about:blank\",\"title\":\"T\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
