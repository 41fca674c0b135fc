package dev.cutover.orchestrator.dashboard;

import dev.cutover.stack.Tokens;
import org.junit.jupiter.api.BeforeAll;
import dev.cutover.testkit.TestSupport;
import static dev.cutover.testkit.TestSupport.send;
import static dev.cutover.testkit.TestSupport.uniqueKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.contracts.CloudEvent;
import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Topics;
import dev.cutover.contracts.migration.MigrationStateChanged;
import dev.cutover.testkit.SharedTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The dashboard's page is served, and the progress topic reaches browsers as server-sent events. (DashboardIT drives it in a browser.) */
@QuarkusTest
@QuarkusTestResource(value = SharedTestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class DashboardTest {

    @BeforeAll
    static void authorize() {
        TestSupport.authorize("operator", "service");
    }

    @TestHTTPResource("/migrations/events")
    URI events;

    @Test
    void thePageAndItsFilesAreServedWithoutABuildStep() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("dashboard.js")).body(containsString("dashboard.css"));
        given().get("/dashboard.js").then().statusCode(200).body(containsString("EventSource"));
        given().get("/dashboard.css").then().statusCode(200).contentType(containsString("text/css"));
    }

    @Test
    void everyProgressMessageIsSentToSubscribersAsItIsOnTheTopicAndAMigrationsOwnChangesFollow() throws Exception {
        // An admin watches every tenant's migrations, and messages about no migration (the probe) too.
        HttpResponse<Stream<String>> stream = subscribe(Tokens.forTests().mint("watcher", null, Duration.ofMinutes(5), "viewer", "admin"));
        BlockingQueue<String> data = read(stream);
        try {
            // The consumer reads from the newest message on, once its partitions are assigned: publish until one arrives.
            UUID probe = UUID.randomUUID();
            String published = Envelopes.encode(Envelopes.wrap("/cutover/test", new MigrationStateChanged(probe, "shop", null,
                    "preflight", "test", "probe", OffsetDateTime.now(ZoneOffset.UTC))));
            String received = null;
            for (int attempt = 0; attempt < 30 && received == null; attempt++) {
                send(Topics.MIGRATION_PROGRESS, probe.toString(), published);
                received = data.poll(1, TimeUnit.SECONDS);
            }
            assertEquals(published, received, "the message as it is on the topic");

            String id = given().contentType(ContentType.JSON).body(Map.of("environment", uniqueKey("shop"), "targetServer", "eu-2"))
                    .post("/migrations").then().statusCode(201).extract().path("id");
            CloudEvent event = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (event == null && System.nanoTime() < deadline) {
                String line = data.poll(1, TimeUnit.SECONDS);
                CloudEvent e = line == null ? null : Envelopes.decode(line);
                if (e != null && e.subject().equals(id) && e.type().equals("dev.cutover.migration.state-changed.v1")) {
                    event = e;
                }
            }
            assertTrue(event != null, "no state-changed event of " + id + " on the stream");
            assertEquals("preflight", event.data().path("to").asText());
        } finally {
            stream.body().close();
        }
    }

    @Test
    void aTenantsBrowserIsSentItsOwnMigrationsOnly() throws Exception {
        Tokens tokens = Tokens.forTests();
        HttpResponse<Stream<String>> acmeStream = subscribe(tokens.mint("vera", "acme", Duration.ofMinutes(5), "viewer"));
        HttpResponse<Stream<String>> globexStream = subscribe(tokens.mint("gwen", "globex", Duration.ofMinutes(5), "viewer"));
        HttpResponse<Stream<String>> adminStream = subscribe(tokens.mint("ada", null, Duration.ofMinutes(5), "admin"));
        BlockingQueue<String> acme = read(acmeStream);
        BlockingQueue<String> globex = read(globexStream);
        BlockingQueue<String> admin = read(adminStream);
        try {
            // The streams' consumer may still be joining its partitions: migrations are made until the admin sees the last two.
            Set<String> acmeIds = new HashSet<>();
            Set<String> globexIds = new HashSet<>();
            Set<String> seenByAdmin = new HashSet<>();
            String acmeId = null;
            String globexId = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && !(seenByAdmin.contains(acmeId) && seenByAdmin.contains(globexId))) {
                acmeId = create(tokens.mint("otto", "acme", Duration.ofMinutes(5), "operator"));
                globexId = create(tokens.mint("gus", "globex", Duration.ofMinutes(5), "operator"));
                acmeIds.add(acmeId);
                globexIds.add(globexId);
                subjects(admin, seenByAdmin, 1000);
            }
            assertTrue(seenByAdmin.contains(acmeId) && seenByAdmin.contains(globexId), "the admin sees both tenants' migrations");
            // Every subscriber is offered each message as it arrives: what the admin has seen, the others were offered too.
            Set<String> seenByAcme = subjects(acme, new HashSet<>(), 500);
            Set<String> seenByGlobex = subjects(globex, new HashSet<>(), 500);
            assertTrue(seenByAcme.contains(acmeId), "acme's browser gets acme's migration: " + seenByAcme);
            assertTrue(seenByGlobex.contains(globexId), "globex's gets globex's");
            assertTrue(seenByAcme.stream().noneMatch(globexIds::contains), "acme's browser gets none of globex's: " + seenByAcme);
            assertTrue(seenByGlobex.stream().noneMatch(acmeIds::contains), "globex's browser gets none of acme's: " + seenByGlobex);
        } finally {
            acmeStream.body().close();
            globexStream.body().close();
            adminStream.body().close();
        }
    }

    private HttpResponse<Stream<String>> subscribe(String token) throws Exception {
        HttpResponse<Stream<String>> stream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                // As the dashboard's browser sends it: the token in its cookie (an EventSource can't set a header).
                HttpRequest.newBuilder(events).header("Accept", "text/event-stream").header("Cookie", "cutover_token=" + token).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        return stream;
    }

    private static BlockingQueue<String> read(HttpResponse<Stream<String>> stream) {
        BlockingQueue<String> data = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                stream.body().filter(l -> l.startsWith("data:")).forEach(l -> data.add(l.substring("data:".length()).strip()));
            } catch (UncheckedIOException closedAtTheEnd) {
                // the test is over
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return data;
    }

    /** Adds the subjects of the events that arrive within {@code millis} of quiet to {@code into}. */
    private static Set<String> subjects(BlockingQueue<String> data, Set<String> into, long millis) throws InterruptedException {
        for (String line = data.poll(millis, TimeUnit.MILLISECONDS); line != null; line = data.poll(millis, TimeUnit.MILLISECONDS)) {
            into.add(Envelopes.decode(line).subject());
        }
        return into;
    }

    /** A migration made by this operator (no platform answers here, so it is the operator's tenant's). */
    private String create(String operator) throws Exception {
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(events.resolve("/migrations"))
                .header("Authorization", "Bearer " + operator).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"environment\":\"" + uniqueKey("shop") + "\",\"targetServer\":\"eu-2\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        return Envelopes.json().readTree(created.body()).path("id").asText();
    }
}
