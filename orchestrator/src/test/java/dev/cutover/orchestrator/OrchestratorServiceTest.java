package dev.cutover.orchestrator;

import org.junit.jupiter.api.BeforeAll;
import dev.cutover.testkit.TestSupport;
import static dev.cutover.testkit.TestSupport.assertEveryMigrationApplied;
import static dev.cutover.testkit.TestSupport.awaitDeadLetter;
import static dev.cutover.testkit.TestSupport.eventually;
import static dev.cutover.testkit.TestSupport.header;
import static dev.cutover.testkit.TestSupport.send;
import static dev.cutover.testkit.TestSupport.uniqueKey;
import static dev.cutover.testkit.TestSupport.unknownTypeEvent;
import static dev.cutover.testkit.TestSupport.withoutField;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.Topics;
import dev.cutover.contracts.migration.MigrationRequested;
import dev.cutover.contracts.preflight.CheckResult;
import dev.cutover.contracts.preflight.PreflightCompleted;
import dev.cutover.testkit.SharedTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** The orchestrator as a running service: its database, health, metrics, and what it does with messages it can't handle. */
@QuarkusTest
@QuarkusTestResource(value = SharedTestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class OrchestratorServiceTest {

    @BeforeAll
    static void authorize() {
        TestSupport.authorize("operator", "service");
    }

    @Inject
    Flyway flyway;

    @Test
    void startsWithEveryMigrationItShipsAppliedTheKitsFirst() {
        assertEveryMigrationApplied(flyway);
    }

    @Test
    void readinessIsUpAndListsTheKafkaAndDatabaseChecks() {
        eventually(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems(containsString("Database connections"), containsString("Reactive Messaging")))
                .body("checks.find { it.name.contains('Reactive Messaging') }.data.keySet()", hasItems("requests", "step-events")));
    }

    @Test
    void metricsAreServedAsPrometheusText() {
        given().accept("text/plain").get("/q/metrics").then().statusCode(200)
                .contentType(startsWith("text/plain"))
                .body(containsString("# TYPE cutover_outbox_published"))
                .body(containsString("\ncutover_outbox_published_total "));
    }

    @Test
    void aRequestThatIsNotJsonIsDeadLetteredWithTheReason() {
        String key = uniqueKey("not-json");
        send(Topics.MIGRATION_REQUESTS, key, "migrate shop to eu-2, please");

        ConsumerRecord<String, String> dead = awaitDeadLetter(key);
        assertEquals("migrate shop to eu-2, please", dead.value(), "the dead letter keeps the original message");
        assertThat(header(dead, "dead-letter-reason"), startsWith("not JSON"));
        assertEquals(Topics.MIGRATION_REQUESTS, header(dead, "dead-letter-topic"));
    }

    @Test
    void aRequestOfAnUnknownCloudEventTypeIsDeadLetteredWithTheReason() {
        String key = uniqueKey("unknown-type");
        send(Topics.MIGRATION_REQUESTS, key, unknownTypeEvent(key));

        assertThat(header(awaitDeadLetter(key), "dead-letter-reason"), is("unknown type 'dev.cutover.no-such.thing.v1'"));
    }

    @Test
    void aRequestMissingARequiredFieldIsDeadLetteredNamingTheField() {
        String environment = uniqueKey("shop");
        send(Topics.MIGRATION_REQUESTS, environment, withoutField(
                new MigrationRequested(environment, "eu-2", Strategy.LIVE, null, false, "portal", null, false, null, null, "acme"), "targetServer"));

        assertThat(header(awaitDeadLetter(environment), "dead-letter-reason"),
                is("invalid dev.cutover.migration.requested.v1: missing required field 'targetServer'"));
        given().queryParam("environment", environment).get("/migrations").then().statusCode(200).body("size()", is(0));
    }

    @Test
    void aStepEventMissingARequiredFieldIsDeadLetteredNamingTheField() {
        UUID migration = UUID.randomUUID();
        send(Topics.STEP_EVENTS, migration.toString(), withoutField(new PreflightCompleted(migration, false, List.of()), "checks"));

        assertThat(header(awaitDeadLetter(migration.toString()), "dead-letter-reason"),
                is("invalid dev.cutover.preflight.completed.v1: missing required field 'checks'"));
    }

    @Test
    void theStepEventConsumerGoesOnAfterAPoisonMessage() {
        String first = uniqueKey("poison");
        UUID unknown = UUID.randomUUID();
        send(Topics.STEP_EVENTS, first, "{ this is not json");
        send(Topics.STEP_EVENTS, unknown.toString(), Envelopes.encode(Envelopes.wrap("/test", new PreflightCompleted(unknown, false,
                List.of(new CheckResult("target-online", CheckResult.Severity.BLOCKER, CheckResult.Outcome.PASS, "online"))))));

        assertThat(header(awaitDeadLetter(first), "dead-letter-reason"), startsWith("not JSON"));
        assertThat(header(awaitDeadLetter(unknown.toString()), "dead-letter-reason"), is("unknown migration " + unknown));
    }
}
