package dev.cutover.provisioning;

import dev.cutover.stack.TestSupport;
import static dev.cutover.stack.TestSupport.awaitDeadLetter;
import static dev.cutover.stack.TestSupport.eventually;
import static dev.cutover.stack.TestSupport.header;
import static dev.cutover.stack.TestSupport.query;
import static dev.cutover.stack.TestSupport.send;
import static dev.cutover.stack.TestSupport.unknownTypeEvent;
import static dev.cutover.stack.TestSupport.withoutField;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.Topics;
import dev.cutover.contracts.preflight.RunPreflight;
import dev.cutover.contracts.provisioning.ProvisionTarget;
import dev.cutover.stack.SharedTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The provisioning-service as a running service: its database, health, metrics, and what it does with commands it can't handle. */
@QuarkusTest
@QuarkusTestResource(value = SharedTestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "provisioning"))
class ProvisioningServiceTest {

    @Test
    void startsWithTheKitsAndItsOwnFlywayMigrationsApplied() {
        assertEquals(List.of(List.of("1.0", "messaging", "t"), List.of("1.1", "provisioned targets", "t")),
                query("provisioning", "select version, description, success from flyway_schema_history"
                        + " where version is not null order by installed_rank"));
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
        send(Topics.PROVISIONING_COMMANDS, key, "<command>not json</command>");

        ConsumerRecord<String, String> dead = awaitDeadLetter(key);
        assertEquals("<command>not json</command>", dead.value(), "the dead letter keeps the original message");
        assertThat(header(dead, "dead-letter-reason"), startsWith("not JSON"));
        assertEquals(Topics.PROVISIONING_COMMANDS, header(dead, "dead-letter-topic"));
    }

    @Test
    void aCloudEventOfAnUnknownTypeIsDeadLetteredWithTheReason() {
        String key = UUID.randomUUID().toString();
        send(Topics.PROVISIONING_COMMANDS, key, unknownTypeEvent(key));

        assertThat(header(awaitDeadLetter(key), "dead-letter-reason"), is("unknown type 'dev.cutover.no-such.thing.v1'"));
    }

    @Test
    void aCommandMissingARequiredFieldIsDeadLetteredNamingTheField() {
        UUID migration = UUID.randomUUID();
        send(Topics.PROVISIONING_COMMANDS, migration.toString(), withoutField(new ProvisionTarget(migration, "shop", "eu-2", "shop-eu-2"), "targetServer"));

        assertThat(header(awaitDeadLetter(migration.toString()), "dead-letter-reason"),
                is("invalid dev.cutover.provisioning.provision-target.v1: missing required field 'targetServer'"));
    }

    @Test
    void theConsumerGoesOnAfterAPoisonMessage() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        send(Topics.PROVISIONING_COMMANDS, first.toString(), "{\"specversion\": \"1.0\", ");
        send(Topics.PROVISIONING_COMMANDS, second.toString(), Envelopes.encode(Envelopes.wrap("/test", new RunPreflight(second, "shop", "eu-2", Strategy.LIVE, false, null))));

        assertThat(header(awaitDeadLetter(first.toString()), "dead-letter-reason"), startsWith("not JSON"));
        assertThat(header(awaitDeadLetter(second.toString()), "dead-letter-reason"), is("provisioning-service does not handle RunPreflight"));
    }
}
