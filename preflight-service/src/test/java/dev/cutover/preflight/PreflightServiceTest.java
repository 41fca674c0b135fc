package dev.cutover.preflight;

import dev.cutover.testkit.CommandConsumerContract;
import static dev.cutover.testkit.TestSupport.awaitDeadLetter;
import static dev.cutover.testkit.TestSupport.header;
import static dev.cutover.testkit.TestSupport.send;
import static dev.cutover.testkit.TestSupport.withoutField;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.cutover.contracts.Message;
import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.Topics;
import dev.cutover.contracts.preflight.RunPreflight;
import dev.cutover.contracts.provisioning.ProvisionTarget;
import dev.cutover.testkit.SharedTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The preflight-service as a running service: its database, health, metrics, and what it does with commands it can't handle. */
@QuarkusTest
@QuarkusTestResource(value = SharedTestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "preflight"))
class PreflightServiceTest extends CommandConsumerContract {

    @Override
    protected String commandTopic() {
        return Topics.PREFLIGHT_COMMANDS;
    }

    @Override
    protected String service() {
        return "preflight-service";
    }

    @Override
    protected Message commandForAnotherService(UUID migration) {
        return new ProvisionTarget(migration, "shop", "eu-2", "shop-eu-2");
    }


    @Test
    void aCommandMissingARequiredFieldIsDeadLetteredNamingTheField() {
        UUID migration = UUID.randomUUID();
        send(Topics.PREFLIGHT_COMMANDS, migration.toString(), withoutField(new RunPreflight(migration, "shop", "eu-2", Strategy.LIVE, false, null, false, null), "environment"));

        assertThat(header(awaitDeadLetter(migration.toString()), "dead-letter-reason"),
                is("invalid dev.cutover.preflight.run.v1: missing required field 'environment'"));
    }

}
