package dev.cutover.orchestrator;

import org.junit.jupiter.api.BeforeAll;
import dev.cutover.testkit.TestSupport;
import static dev.cutover.testkit.TestSupport.awaitDeadLetter;
import static dev.cutover.testkit.TestSupport.awaitRecords;
import static dev.cutover.testkit.TestSupport.eventually;
import static dev.cutover.testkit.TestSupport.header;
import static dev.cutover.testkit.TestSupport.query;
import static dev.cutover.testkit.TestSupport.readAll;
import static dev.cutover.testkit.TestSupport.send;
import static dev.cutover.testkit.TestSupport.sendAll;
import static dev.cutover.testkit.TestSupport.uniqueKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cutover.contracts.CloudEvent;
import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Step;
import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.Topics;
import dev.cutover.contracts.migration.MigrationRequested;
import dev.cutover.contracts.migration.MigrationStateChanged;
import dev.cutover.contracts.migration.StepProgressed;
import dev.cutover.contracts.preflight.CheckResult;
import dev.cutover.contracts.preflight.PreflightCompleted;
import dev.cutover.contracts.preflight.RunPreflight;
import dev.cutover.contracts.provisioning.ProvisionTarget;
import dev.cutover.testkit.SharedTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The migration API and the saga as users drive it: REST calls, requests on Kafka, and the services' step events. */
@QuarkusTest
@QuarkusTestResource(value = SharedTestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class MigrationApiTest {

    @BeforeAll
    static void authorize() {
        TestSupport.authorize("operator", "service");
    }

    private static final String STATE_CHANGED = "dev.cutover.migration.state-changed.v1";
    private static final List<CheckResult> PASSED = List.of(
            new CheckResult("target-online", CheckResult.Severity.BLOCKER, CheckResult.Outcome.PASS, "server eu-2 is online"));

    @Test
    void creatingAMigrationStartsPreflightAndSendsRunPreflightKeyedByTheMigrationId() {
        String environment = uniqueKey("shop");

        Response created = given().contentType(ContentType.JSON)
                .body(Map.of("environment", environment, "targetServer", "eu-2"))
                .post("/migrations");

        created.then().statusCode(201)
                .header("Location", endsWith("/migrations/" + created.path("id")))
                .body("environment", is(environment))
                .body("targetServer", is("eu-2"))
                .body("targetEnvironment", is(environment + "-eu-2"))
                .body("strategy", is("live"))
                .body("state", is("preflight"))
                .body("currentStep", is("preflight"));
        UUID id = UUID.fromString(created.path("id"));

        ConsumerRecord<String, String> record = awaitRecords(Topics.PREFLIGHT_COMMANDS, id.toString(), 1).get(0);
        CloudEvent event = Envelopes.decode(record.value());
        assertEquals("dev.cutover.preflight.run.v1", event.type());
        assertEquals(id.toString(), event.subject());
        assertEquals(new RunPreflight(id, environment, "eu-2", Strategy.LIVE, false, null, false, null), Envelopes.payload(event));
        assertEquals("application/cloudevents+json", header(record, "content-type"));
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameMigrationAndSendsNoSecondCommand() {
        String environment = uniqueKey("shop");
        String key = UUID.randomUUID().toString();
        String body = "{\"environment\":\"" + environment + "\",\"targetServer\":\"eu-2\",\"strategy\":\"snapshot\"}";

        String first = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .post("/migrations").then().statusCode(201).extract().path("id");
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .post("/migrations").then().statusCode(200).body("id", is(first)).body("state", is("preflight"));

        awaitRecords(Topics.PREFLIGHT_COMMANDS, first, 1);
        awaitOutboxPublished();
        assertEquals(1, readAll(Topics.PREFLIGHT_COMMANDS, first).size(), "one RunPreflight for one migration");
        given().queryParam("environment", environment).get("/migrations").then().body("id", contains(first));
    }

    @Test
    void aMigrationWithoutEnvironmentIsRefusedWith422ProblemDetails() {
        given().contentType(ContentType.JSON).body("{\"targetServer\":\"eu-2\"}")
                .post("/migrations").then().statusCode(422)
                .contentType("application/problem+json")
                .body("status", is(422))
                .body("detail", containsString("environment"));
    }

    @Test
    void aBodyOfTheWrongShapeOrABadNameIsRefusedNamingTheFieldAndCreatesNothing() {
        String environment = uniqueKey("shape");
        refused("{\"environment\":\"" + environment + "\",\"targetServer\":\"eu-2\",\"strategy\":\"yolo\"}", 400,
                "strategy: expected one of live, snapshot, manual ('yolo' is not)");
        refused("{\"environment\":\"" + environment + "\",\"targetServer\":[1]}", 422, "targetServer is missing or not a string");
        // Where the REST layer gives no field name, the place in the body says which.
        refused("{\"environment\":\"" + environment + "\",\"targetServer\":\"eu-2\",\"autoConfirm\":\"maybe\"}", 400,
                "expected true or false");
        refused("{\"environment\":", 400, "the request body is not valid JSON");
        refused("{\"environment\":\"" + environment + "\",\"targetServer\":\"eu-2\",\"newName\":\"" + "x".repeat(20 * 1024 * 1024) + "\"}",
                413, "at most 10485760 are taken");
        refused("{\"environment\":\"shop; drop table x\",\"targetServer\":\"eu-2\"}", 422,
                "environment must be lower-case letters, digits and dashes, starting with a letter (at most 41): 'shop; drop table x' is not");
        given().contentType(ContentType.JSON).body("{\"environment\":\"shop; drop table x\",\"targetServer\":\"eu-2\"}")
                .post("/plans").then().statusCode(422).body("detail", containsString("environment must be"));
        given().queryParam("environment", environment).get("/migrations").then().statusCode(200).body("size()", is(0));
    }

    private static void refused(String body, int status, String detail) {
        given().contentType(ContentType.JSON).body(body).post("/migrations").then().statusCode(status)
                .contentType("application/problem+json").body("detail", containsString(detail));
    }

    @Test
    void aSecondMigrationOfAnEnvironmentWhileOneRunsIsRefusedWith409() {
        String environment = uniqueKey("shop");
        String running = create(environment);

        given().contentType(ContentType.JSON).body(Map.of("environment", environment, "targetServer", "us-1"))
                .post("/migrations").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString(running))
                .body("detail", containsString("in progress"));
        given().queryParam("environment", environment).get("/migrations").then().body("id", contains(running));
    }

    @Test
    void anUnknownMigrationIs404() {
        given().get("/migrations/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("detail", startsWith("no migration"));
        given().get("/migrations/not-a-migration-id").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theListFiltersByEnvironmentAndState() {
        String environment = uniqueKey("shop");
        String aborted = create(environment);
        given().post("/migrations/" + aborted + "/abort").then().statusCode(202);
        String running = create(environment);
        String elsewhere = create(uniqueKey("blog"));

        given().queryParam("environment", environment).queryParam("state", "preflight")
                .get("/migrations").then().statusCode(200).body("id", contains(running));
        given().queryParam("environment", environment).queryParam("state", "aborted")
                .get("/migrations").then().statusCode(200).body("id", contains(aborted));
        given().queryParam("environment", environment)
                .get("/migrations").then().statusCode(200).body("id", contains(running, aborted))
                .body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(elsewhere)));
        given().queryParam("state", "sideways").get("/migrations").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("sideways"));
    }

    @Test
    void confirmingDuringPreflightIsRefusedWith409BecauseNothingAwaitsConfirmation() {
        String id = create(uniqueKey("shop"));

        given().post("/migrations/" + id + "/confirm").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", is("migration is preflight, not awaiting confirmation"));
        given().get("/migrations/" + id).then().body("state", is("preflight")).body("history.size()", is(1));
    }

    @Test
    void abortDuringPreflightEndsAbortedWithEveryTransitionRecordedAndPublishedInOrder() {
        String environment = uniqueKey("shop");
        String id = create(environment);

        given().post("/migrations/" + id + "/abort").then().statusCode(202).body("state", is("aborted"));

        given().get("/migrations/" + id).then().statusCode(200)
                .body("state", is("aborted"))
                .body("reason", is("abort requested"))
                .body("history[0].from", nullValue())
                .body("history[1].from", is("preflight"))
                .body("history.to", contains("preflight", "aborted"))
                .body("history.actor", everyItem(is("test")))
                .body("history.reason", contains("migration requested", "abort requested"))
                .body("history.at", everyItem(org.hamcrest.Matchers.notNullValue()));
        List<MigrationStateChanged> published = awaitRecords(Topics.MIGRATION_PROGRESS, id,
                r -> Envelopes.decode(r.value()).type().equals(STATE_CHANGED), 2).stream()
                .map(r -> (MigrationStateChanged) Envelopes.read(r.value())).toList();
        assertEquals(List.of("preflight", "aborted"), published.stream().map(MigrationStateChanged::to).toList());
        assertEquals(java.util.Arrays.asList(null, "preflight"), published.stream().map(MigrationStateChanged::from).toList());
        assertEquals(List.of("test", "test"), published.stream().map(MigrationStateChanged::actor).toList());
        assertEquals(environment, published.get(1).environment());
        awaitOutboxPublished();
        assertEquals(List.of(), readAll(Topics.PROVISIONING_COMMANDS, id), "nothing was provisioned, so nothing is undone");
        given().post("/migrations/" + id + "/abort").then().statusCode(409).body("detail", is("migration is aborted"));
    }

    @Test
    void preflightCompletedMovesTheMigrationToPrepareAndSendsProvisionTarget() {
        String environment = uniqueKey("shop");
        String id = create(environment);

        send(Topics.STEP_EVENTS, id, Envelopes.encode(Envelopes.wrap("/test", new PreflightCompleted(UUID.fromString(id), false, PASSED))));

        eventually(() -> given().get("/migrations/" + id).then().body("state", is("prepare")));
        given().get("/migrations/" + id).then()
                .body("currentStep", is("prepare"))
                .body("preflight.id", contains("target-online"))
                .body("preflight.outcome", contains("pass"))
                .body("history.to", contains("preflight", "prepare"))
                .body("history[1].actor", is("service"))
                .body("history[1].reason", is("preflight completed"))
                .body("steps.find { it.step == 'preflight' }.status", is("completed"))
                .body("steps.find { it.step == 'prepare' }.status", is("dispatched"));
        ConsumerRecord<String, String> command = awaitRecords(Topics.PROVISIONING_COMMANDS, id, 1).get(0);
        assertEquals(new ProvisionTarget(UUID.fromString(id), environment, "eu-2", environment + "-eu-2"), Envelopes.read(command.value()));
    }

    @Test
    void theSameStepEventDeliveredTwiceChangesNothing() {
        String id = create(uniqueKey("shop"));
        String completed = Envelopes.encode(Envelopes.wrap("/test", new PreflightCompleted(UUID.fromString(id), false, PASSED)));
        send(Topics.STEP_EVENTS, id, completed);
        eventually(() -> given().get("/migrations/" + id).then().body("state", is("prepare")));

        send(Topics.STEP_EVENTS, id, completed);
        // Same key, same partition: once this later event is seen, the repeat before it has been handled.
        send(Topics.STEP_EVENTS, id, Envelopes.encode(Envelopes.wrap("/test",
                new StepProgressed(UUID.fromString(id), Step.PREPARE, "target created", Map.of(), null))));
        eventually(() -> given().get("/migrations/" + id).then()
                .body("steps.find { it.step == 'prepare' }.detail", is("target created")));

        given().get("/migrations/" + id).then()
                .body("state", is("prepare"))
                .body("history.to", contains("preflight", "prepare"));
        awaitOutboxPublished();
        assertEquals(1, readAll(Topics.PROVISIONING_COMMANDS, id).size(), "one ProvisionTarget");
    }

    @Test
    void eachDatabasesFiguresOverTimeAreKeptAndThinnedEvenlyPastFiveHundredPoints() {
        String id = create(uniqueKey("shop"));
        UUID migration = UUID.fromString(id);
        List<String> reports = new ArrayList<>();
        for (long lag = 0; lag <= 500; lag++) {
            reports.add(Envelopes.encode(Envelopes.wrap("/test", new StepProgressed(migration, Step.SYNC, "main: replicating",
                    Map.of("lagBytes", lag), "main"))));
        }
        reports.add(Envelopes.encode(Envelopes.wrap("/test", new StepProgressed(migration, Step.SYNC, "all: fenced", Map.of("fenceMillis", 3L), null))));
        reports.add(Envelopes.encode(Envelopes.wrap("/test", new StepProgressed(migration, Step.SYNC, "cache: replicating",
                Map.of("lagBytes", 7L), "cache"))));
        sendAll(Topics.STEP_EVENTS, id, reports);
        eventually(() -> given().get("/migrations/" + id + "/samples").then().statusCode(200)
                .body("findAll { it.part == 'cache' }.figures.lagBytes", contains(7)));

        // The 501st point thinned the series to every other one, first and last kept: the whole span at half the grain.
        List<Integer> main = given().get("/migrations/" + id + "/samples").then().extract().path("findAll { it.part == 'main' }.figures.lagBytes");
        assertEquals(IntStream.rangeClosed(0, 250).map(i -> i * 2).boxed().toList(), main);
        given().get("/migrations/" + id + "/samples").then().body("findAll { it.part == null }.size()", is(0))
                .body("step", everyItem(is("sync")));
        given().get("/migrations/" + UUID.randomUUID() + "/samples").then().statusCode(404);
    }

    @Test
    void aPortalRequestWhoseEnvironmentThePlatformCannotVouchForIsDeadLetteredAndCreatesNothing() {
        // No platform answers in these tests: whose environment it is can't be told, so nothing is created for the portal.
        String environment = uniqueKey("shop");
        send(Topics.MIGRATION_REQUESTS, environment, Envelopes.encode(Envelopes.wrap("/portal",
                new MigrationRequested(environment, "eu-2", Strategy.SNAPSHOT, "shop-next", false, "portal-user", null, false, null, null, "acme"))));

        assertThat(header(awaitDeadLetter(environment), "dead-letter-reason"),
                startsWith("request not taken: whose environment " + environment + " is could not be told (local platform unreachable"));
        given().queryParam("environment", environment).get("/migrations").then().statusCode(200).body("size()", is(0));
    }

    private static String create(String environment) {
        return given().contentType(ContentType.JSON).body(Map.of("environment", environment, "targetServer", "eu-2"))
                .post("/migrations").then().statusCode(201).extract().path("id");
    }

    /** Every message the orchestrator has committed is on Kafka once its outbox is empty (the relay deletes after the broker's ack). */
    private static void awaitOutboxPublished() {
        eventually(() -> assertEquals(List.of(List.of("0")), query("orchestrator", "select count(*) from outbox_message")));
    }
}
