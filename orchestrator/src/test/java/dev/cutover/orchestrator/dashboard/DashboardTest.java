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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
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
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<Stream<String>> stream = client.send(
                // As the dashboard's browser sends it: the token in its cookie (an EventSource can't set a header).
                HttpRequest.newBuilder(events).header("Accept", "text/event-stream")
                        .header("Cookie", "cutover_token=" + Tokens.forTests().mint("watcher", "acme", java.time.Duration.ofMinutes(5), "viewer"))
                        .build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
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
}
