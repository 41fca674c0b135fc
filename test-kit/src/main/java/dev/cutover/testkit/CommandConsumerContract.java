package dev.cutover.testkit;

import static dev.cutover.testkit.TestSupport.awaitDeadLetter;
import static dev.cutover.testkit.TestSupport.eventually;
import static dev.cutover.testkit.TestSupport.header;
import static dev.cutover.testkit.TestSupport.send;
import static dev.cutover.testkit.TestSupport.unknownTypeEvent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Message;
import java.util.UUID;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * What every service that consumes a command topic must do, as tests its {@code @QuarkusTest} inherits: be ready with
 * Kafka and its database, serve metrics, dead-letter what it can't handle with the reason, and go on consuming.
 */
public abstract class CommandConsumerContract {

    /** The topic the service consumes. */
    protected abstract String commandTopic();

    /** The service's name, as its refusals say it. */
    protected abstract String service();

    /** A well-formed command that belongs to another service. */
    protected abstract Message commandForAnotherService(UUID migration);

    @Inject
    Flyway flyway;

    @Test
    void startsWithEveryMigrationItShipsAppliedTheKitsFirst() {
        TestSupport.assertEveryMigrationApplied(flyway);
    }

    @Test
    void readinessIsUpAndListsTheKafkaAndDatabaseChecks() {
        eventually(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems(containsString("Database connections"), containsString("Reactive Messaging")))
                .body("checks.find { it.name.contains('Reactive Messaging') }.data.keySet()", hasItem("commands")));
    }

    @Test
    void metricsAreServedAsPrometheusText() {
        given().accept("text/plain").get("/q/metrics").then().statusCode(200)
                .contentType(startsWith("text/plain"))
                .body(containsString("# TYPE cutover_outbox_published"))
                .body(containsString("\ncutover_outbox_published_total "));
    }

    @Test
    void aCommandThatIsNotJsonIsDeadLetteredWithTheReason() {
        String key = UUID.randomUUID().toString();
        send(commandTopic(), key, "<command>not json</command>");

        ConsumerRecord<String, String> dead = awaitDeadLetter(key);
        assertEquals("<command>not json</command>", dead.value(), "the dead letter keeps the original message");
        assertThat(header(dead, "dead-letter-reason"), startsWith("not JSON"));
        assertEquals(commandTopic(), header(dead, "dead-letter-topic"));
    }

    @Test
    void aCloudEventOfAnUnknownTypeIsDeadLetteredWithTheReason() {
        String key = UUID.randomUUID().toString();
        send(commandTopic(), key, unknownTypeEvent(key));

        assertThat(header(awaitDeadLetter(key), "dead-letter-reason"), is("unknown type 'dev.cutover.no-such.thing.v1'"));
    }

    @Test
    void theConsumerGoesOnAfterAPoisonMessage() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        Message foreign = commandForAnotherService(second);
        send(commandTopic(), first.toString(), "{\"specversion\": \"1.0\", ");
        send(commandTopic(), second.toString(), Envelopes.encode(Envelopes.wrap("/test", foreign)));

        assertThat(header(awaitDeadLetter(first.toString()), "dead-letter-reason"), startsWith("not JSON"));
        assertThat(header(awaitDeadLetter(second.toString()), "dead-letter-reason"),
                is(service() + " does not handle " + foreign.getClass().getSimpleName()));
    }
}
