package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The environment's notifiers are told of every milestone of its migration, in order, on a real HTTP server. */
class NotificationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aWebhookHearsEveryMilestoneInOrderAndADeadOneHoldsNothingUp() throws Exception {
        List<JsonNode> heard = Collections.synchronizedList(new ArrayList<>());
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hooks/secret-token", exchange -> {
            heard.add(JSON.readTree(exchange.getRequestBody()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hook.start();
        // A notifier that takes the connection and never answers: the worst a dead one does.
        List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    held.add(silent.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        try {
            String env = "told";
            Stack.environment(env, "told.example.com");
            String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hooks/secret-token";
            Stack.HTTP.put(Stack.platform() + "/environments/" + env + "/skeleton",
                    Map.of("notifiers", List.of("http://127.0.0.1:" + silent.getLocalPort() + "/hang", url, "slack:#ops"))).orThrow();

            String id = Stack.start(env, Map.of("strategy", "snapshot"));
            Stack.awaitState(id, s -> s.equals("awaiting-confirmation") || Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
            Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/confirm", null).orThrow();
            JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
            assertEquals("completed", done.path("state").asText(), done.toPrettyString());
            assertTrue(held.size() >= 1, "the silent notifier was called, and the migration completed while it hung");
            Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/finalize", null).orThrow();
            Stack.awaitState(id, s -> s.equals("finalized") || s.equals("needs-attention"), Duration.ofSeconds(60));

            List<String> expected = List.of("created", "awaiting-confirmation", "freeze", "completed", "finalized");
            for (int i = 0; i < 100 && heard.size() < expected.size(); i++) {
                Stack.sleep(100);
            }
            assertEquals(expected, heard.stream().map(n -> n.path("milestone").asText()).toList(), heard.toString());
            JsonNode completed = heard.get(3);
            assertEquals(id, completed.path("migrationId").asText());
            assertEquals(env, completed.path("environment").asText());
            assertEquals(env + "-eu-2", completed.path("targetEnvironment").asText());
            assertTrue(completed.path("dashboard").asText().endsWith("/#" + id), completed.toString());
            JsonNode view = Stack.migration(id);
            assertTrue(view.path("history").toString().contains("notifier not told: slack:…: only http(s) webhooks"),
                    view.path("history").toPrettyString());
            assertFalse(view.toString().contains("secret-token"), "a webhook's address stays out of the API");
            try (java.sql.Connection c = Stack.get().control().connect("orchestrator"); java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet kept = st.executeQuery("select (select string_agg(notifiers::text, ' ') from migration where id = '" + id
                         + "') || ' ' || (select string_agg(notifier, ' ') from notification where migration_id = '" + id + "')")) {
                kept.next();
                assertTrue(kept.getString(1).contains("sealed:v1:"), kept.getString(1));
                assertFalse(kept.getString(1).contains("secret-token") || kept.getString(1).contains("/hooks/"),
                        "the orchestrator keeps the webhook's address sealed: " + kept.getString(1));
            }
        } finally {
            hook.stop(0);
            silent.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
