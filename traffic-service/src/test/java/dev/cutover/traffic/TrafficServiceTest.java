package dev.cutover.traffic;

import org.junit.jupiter.api.BeforeAll;
import dev.cutover.testkit.TestSupport;
import dev.cutover.testkit.CommandConsumerContract;
import static dev.cutover.testkit.TestSupport.awaitDeadLetter;
import static dev.cutover.testkit.TestSupport.eventually;
import static dev.cutover.testkit.TestSupport.header;
import static dev.cutover.testkit.TestSupport.query;
import static dev.cutover.testkit.TestSupport.send;
import static dev.cutover.testkit.TestSupport.uniqueKey;
import static dev.cutover.testkit.TestSupport.withoutField;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cutover.contracts.Message;
import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.Topics;
import dev.cutover.contracts.datasync.SyncData;
import dev.cutover.contracts.traffic.HoldTraffic;
import dev.cutover.platform.router.Router;
import dev.cutover.stack.Ports;
import dev.cutover.testkit.SharedTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The traffic-service as a running service (its database, health, metrics, and what it does with commands it can't
 * handle) and its edge router: routing, proxying, failing without leaking the backend, holding requests during a freeze.
 */
@QuarkusTest
@QuarkusTestResource(value = SharedTestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "traffic"))
@QuarkusTestResource(FakePlatform.class)
class TrafficServiceTest extends CommandConsumerContract {

    @BeforeAll
    static void authorize() {
        TestSupport.authorize("operator", "service");
    }

    @Override
    protected String commandTopic() {
        return Topics.TRAFFIC_COMMANDS;
    }

    @Override
    protected String service() {
        return "traffic-service";
    }

    @Override
    protected Message commandForAnotherService(UUID migration) {
        return new SyncData(migration, "shop", "shop-eu-2", Strategy.SNAPSHOT, false, false);
    }


    @Test
    void aCommandMissingARequiredFieldIsDeadLetteredNamingTheField() {
        UUID migration = UUID.randomUUID();
        send(Topics.TRAFFIC_COMMANDS, migration.toString(), withoutField(new HoldTraffic(migration, "shop", "shop-eu-2"), "environment"));

        assertThat(header(awaitDeadLetter(migration.toString()), "dead-letter-reason"),
                is("invalid dev.cutover.traffic.hold-traffic.v1: missing required field 'environment'"));
    }

    @Inject
    Router router;

    @Test
    void anUnknownHostnameAnswers404NamingIt() {
        String host = uniqueKey("nobody") + ".example.test";

        given().port(FakePlatform.routerPort()).header("Host", host).get("/anything").then()
                .statusCode(404)
                .contentType(startsWith("application/json"))
                .body("error", is("no environment answers " + host));
    }

    @Test
    void aRouteToAnEnvironmentWhoseBackendIsDownAnswers502WithoutRevealingTheBackend() {
        String environment = uniqueKey("down");
        int closedPort = Ports.free();
        FakePlatform.environment(environment, "http://127.0.0.1:" + closedPort);
        String host = route(environment);

        String body = given().port(FakePlatform.routerPort()).header("Host", host).get("/checkout").then()
                .statusCode(502)
                .contentType(startsWith("application/json"))
                .extract().asString();
        assertThat(body, containsString("did not answer"));
        assertThat(body, not(containsString(String.valueOf(closedPort))));
        assertThat(body, not(containsString("127.0.0.1")));
    }

    @Test
    void theRouterProxiesGetAndPostToALiveBackendWithItsStatusBodyAndHeaders() {
        String environment = uniqueKey("live");
        try (Backend backend = Backend.start()) {
            FakePlatform.environment(environment, backend.url());
            String host = route(environment);

            given().port(FakePlatform.routerPort()).header("Host", host).get("/hello?who=router").then()
                    .statusCode(200)
                    .header("X-Backend", "yes")
                    .body(is("GET /hello?who=router"));
            given().port(FakePlatform.routerPort()).header("Host", host).contentType(ContentType.TEXT).body("two coffees")
                    .post("/orders").then()
                    .statusCode(201)
                    .header("X-Backend", "yes")
                    .header("Location", "/orders/7")
                    .body(is("POST /orders: two coffees"));
            assertEquals(host, backend.forwardedHost, "the backend learns which address was asked for");
        }
    }

    /**
     * The edge router is its own process: killed with kill -9 and started again, it serves every route it had at once,
     * from its own copy, changes included.
     */
    @Test
    void theEdgeRouterServesEveryRouteAgainAfterItsOwnCrash() throws Exception {
        String environment = uniqueKey("survivor");
        String moved = uniqueKey("moved");
        try (Backend backend = Backend.start(); Backend target = Backend.start()) {
            FakePlatform.environment(environment, backend.url());
            FakePlatform.environment(moved, target.url());
            String host = route(environment);
            String away = route(moved);
            given().contentType(ContentType.JSON).body("{\"environment\":\"" + environment + "\"}").put("/routes/" + away)
                    .then().statusCode(200);

            FakePlatform.crashAndRestartRouter();

            given().port(FakePlatform.routerPort()).header("Host", host).get("/after-crash").then()
                    .statusCode(200).body(is("GET /after-crash"));
            given().port(FakePlatform.routerPort()).header("Host", away).get("/").then().statusCode(200);
            assertEquals(away, backend.forwardedHost, "the changed route still points where it was changed to");
        }
    }

    /**
     * A router killed inside a freeze goes on holding once started again, so the switch-over's release still finds the
     * freeze and the requests that came meanwhile wait for it; a release is final, even across the next crash.
     */
    @Test
    void aFreezeGoesOnAfterTheRoutersOwnCrashUntilItIsReleased() throws Exception {
        String environment = uniqueKey("frozen-crash");
        try (Backend backend = Backend.start()) {
            FakePlatform.environment(environment, backend.url());
            String host = route(environment);
            assertTrue(router.hold(environment));

            FakePlatform.crashAndRestartRouter();

            assertTrue(router.holding(environment), "the restarted router still holds the environment");
            CompletableFuture<Response> during = CompletableFuture.supplyAsync(
                    () -> given().port(FakePlatform.routerPort()).header("Host", host).get("/after-crash"));
            Thread.sleep(300);
            assertFalse(during.isDone(), "a request after the restart waits for the freeze to end");
            Router.Freeze report = router.release(environment);
            Response answer = during.get(10, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), "held, then served");
            assertEquals(1, report.heldRequests());

            FakePlatform.crashAndRestartRouter();
            assertFalse(router.holding(environment), "released for good");
            given().port(FakePlatform.routerPort()).header("Host", host).get("/after-release").then().statusCode(200);
        }
    }

    @Test
    void routesAreStoredInPostgresSoTheySurviveARestart() {
        String host = uniqueKey("stored") + ".example.test";

        given().contentType(ContentType.JSON).body("{\"environment\":\"shop\"}").put("/routes/" + host).then()
                .statusCode(200).body("hostname", is(host)).body("environment", is("shop"));
        assertEquals(List.of(List.of("shop")), query("traffic", "select environment from route where hostname = ?", host));
        given().get("/routes").then().statusCode(200).body("hostname", hasItem(host));

        given().contentType(ContentType.JSON).body("{\"environment\":\"shop-eu-2\"}").put("/routes/" + host).then().statusCode(200);
        assertEquals(List.of(List.of("shop-eu-2")), query("traffic", "select environment from route where hostname = ?", host));

        given().delete("/routes/" + host).then().statusCode(204);
        assertEquals(List.of(), query("traffic", "select environment from route where hostname = ?", host));
        given().port(FakePlatform.routerPort()).header("Host", host).get("/").then().statusCode(404);
    }

    @Test
    void aRouteWithoutAnEnvironmentIsRefusedWith422() {
        String host = uniqueKey("invalid") + ".example.test";

        given().contentType(ContentType.JSON).body("{}").put("/routes/" + host).then()
                .statusCode(422).contentType("application/problem+json").body("detail", containsString("environment"));
        assertEquals(List.of(), query("traffic", "select environment from route where hostname = ?", host));
    }

    @Test
    void aHeldEnvironmentsRequestWaitsAndIsServedOnRelease() throws Exception {
        String environment = uniqueKey("held");
        try (Backend backend = Backend.start()) {
            FakePlatform.environment(environment, backend.url());
            String host = route(environment);
            given().port(FakePlatform.routerPort()).header("Host", host).get("/before").then().statusCode(200);

            assertTrue(router.hold(environment), "nothing was in flight when the freeze began");
            CompletableFuture<Response> during = CompletableFuture.supplyAsync(
                    () -> given().port(FakePlatform.routerPort()).header("Host", host).get("/during-freeze"));
            Thread.sleep(300);
            assertFalse(during.isDone(), "a request during the freeze waits instead of being answered");
            assertTrue(router.holding(environment));

            Router.Freeze report = router.release(environment);

            Response answer = during.get(10, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), "held, not failed");
            assertEquals("GET /during-freeze", answer.asString());
            assertEquals(1, report.heldRequests());
            assertTrue(report.millis() >= 300, "freeze of " + report.millis() + " ms");
            assertFalse(router.holding(environment));
        }
    }

    /**
     * Freezes begun over and over under concurrent writes: once {@code hold} returns, not one request reaches the
     * backend until the release, and every held request is served after it.
     */
    @Test
    void noRequestReachesTheBackendOnceTheFreezeHasBegun() throws Exception {
        String environment = uniqueKey("race");
        AtomicBoolean frozen = new AtomicBoolean();
        AtomicInteger slipped = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", exchange -> {
            if (frozen.get()) {
                slipped.incrementAndGet();
            }
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            served.incrementAndGet();
        });
        backend.setExecutor(Executors.newFixedThreadPool(8));
        backend.start();
        ExecutorService writers = Executors.newFixedThreadPool(6);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger failed = new AtomicInteger();
        try {
            FakePlatform.environment(environment, "http://127.0.0.1:" + backend.getAddress().getPort());
            String host = route(environment);
            for (int i = 0; i < 6; i++) {
                writers.submit(() -> {
                    while (writing.get()) {
                        try {
                            if (given().port(FakePlatform.routerPort()).header("Host", host).contentType(ContentType.JSON).body("{}")
                                    .post("/customers").statusCode() != 204) {
                                failed.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                        }
                    }
                });
            }
            eventually(() -> assertTrue(served.get() > 50, "the writers are under way"));
            int held = 0;
            for (int freeze = 0; freeze < 500; freeze++) {
                assertTrue(router.hold(environment), "the requests in flight finished");
                frozen.set(true);
                Thread.sleep(3);
                frozen.set(false);
                held += router.release(environment).heldRequests();
                Thread.sleep(2);
            }
            writing.set(false);
            writers.shutdown();
            assertTrue(writers.awaitTermination(20, TimeUnit.SECONDS));
            assertTrue(held > 0, "the freezes held requests");
            assertEquals(0, slipped.get(), "requests that reached the backend while it was frozen");
            assertEquals(0, failed.get(), "held requests are served, not failed");
        } finally {
            writing.set(false);
            writers.shutdownNow();
            backend.stop(0);
        }
    }

    @Test
    void aReadWhoseBackendConnectionDropsIsSentOnceMoreButAWriteIsNot() throws Exception {
        String environment = uniqueKey("flaky");
        AtomicInteger received = new AtomicInteger();
        // Drops every other request without answering, as a backend closing an idle keep-alive connection does.
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> {
                while (!backend.isClosed()) {
                    try (Socket connection = backend.accept()) {
                        BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII));
                        int length = 0;
                        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                            if (line.toLowerCase().startsWith("content-length:")) {
                                length = Integer.parseInt(line.substring(15).strip());
                            }
                        }
                        in.skip(length);
                        if (received.incrementAndGet() % 2 == 0) {
                            connection.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                                    .getBytes(StandardCharsets.US_ASCII));
                        }
                    } catch (IOException e) {
                        // closed at the end of the test
                    }
                }
            }, "flaky-backend");
            serving.setDaemon(true);
            serving.start();
            FakePlatform.environment(environment, "http://127.0.0.1:" + backend.getLocalPort());
            String host = route(environment);

            given().port(FakePlatform.routerPort()).header("Host", host).get("/customers/1").then().statusCode(200).body(is("ok"));
            assertEquals(2, received.get(), "the dropped read was sent once more");

            given().port(FakePlatform.routerPort()).header("Host", host).contentType(ContentType.JSON).body("{}").post("/customers").then()
                    .statusCode(502);
            assertEquals(3, received.get(), "a write that may have been applied is not sent twice");
        }
    }

    @Test
    void aBackendThatNeverAnswersGets504AndDoesNotStallAnotherEnvironment() throws Exception {
        String silent = uniqueKey("silent");
        String other = uniqueKey("other");
        // Accepts connections and reads nothing, answers nothing.
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); Backend backend = Backend.start()) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread accepting = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(hung.accept());
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            }, "hung-backend");
            accepting.setDaemon(true);
            accepting.start();
            FakePlatform.environment(silent, "http://127.0.0.1:" + hung.getLocalPort());
            FakePlatform.environment(other, backend.url());
            String silentHost = route(silent);
            String otherHost = route(other);

            CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(
                    () -> given().port(FakePlatform.routerPort()).header("Host", silentHost).get("/slow"));
            eventually(() -> assertEquals(1, accepted.size(), "the router reached the silent backend"));
            given().port(FakePlatform.routerPort()).header("Host", otherHost).get("/meanwhile").then().statusCode(200).body(is("GET /meanwhile"));
            assertFalse(waiting.isDone(), "the other environment was answered while the silent one's request still waited");

            Response timedOut = waiting.get(30, TimeUnit.SECONDS);
            assertEquals(504, timedOut.statusCode());
            assertEquals("the application did not answer within 2 s", timedOut.jsonPath().getString("error"));
            for (Socket connection : accepted) {
                connection.close();
            }
        }
    }

    /** Routes {@code <environment>.example.test} to the environment. */
    private static String route(String environment) {
        String host = environment + ".example.test";
        given().contentType(ContentType.JSON).body("{\"environment\":\"" + environment + "\"}")
                .put("/routes/" + host).then().statusCode(200);
        return host;
    }

    /** An application's release: answers every request with its method, path and body, and says it is the backend. */
    static final class Backend implements AutoCloseable {
        private final HttpServer server;
        volatile String forwardedHost;

        private Backend(HttpServer server) {
            this.server = server;
        }

        static Backend start() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                Backend backend = new Backend(server);
                server.createContext("/", exchange -> {
                    backend.forwardedHost = exchange.getRequestHeaders().getFirst("X-Forwarded-Host");
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    boolean post = exchange.getRequestMethod().equals("POST");
                    byte[] answer = (exchange.getRequestMethod() + " " + exchange.getRequestURI() + (post ? ": " + body : ""))
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("X-Backend", "yes");
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    if (post) {
                        exchange.getResponseHeaders().set("Location", "/orders/7");
                    }
                    exchange.sendResponseHeaders(post ? 201 : 200, answer.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer);
                    }
                });
                server.setExecutor(Executors.newCachedThreadPool());
                server.start();
                return backend;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
