package dev.cutover.datasync;

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
import dev.cutover.contracts.datasync.SyncData;
import dev.cutover.contracts.traffic.HoldTraffic;
import dev.cutover.testkit.SharedTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The data-sync-service as a running service: its database, health, metrics, and what it does with commands it can't handle. */
@QuarkusTest
@QuarkusTestResource(value = SharedTestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "data_sync"))
class DataSyncServiceTest extends CommandConsumerContract {

    @Override
    protected String commandTopic() {
        return Topics.DATA_SYNC_COMMANDS;
    }

    @Override
    protected String service() {
        return "data-sync-service";
    }

    @Override
    protected Message commandForAnotherService(UUID migration) {
        return new HoldTraffic(migration, "shop", "shop-eu-2");
    }


    @Test
    void aCommandMissingARequiredFieldIsDeadLetteredNamingTheField() {
        UUID migration = UUID.randomUUID();
        send(Topics.DATA_SYNC_COMMANDS, migration.toString(), withoutField(new SyncData(migration, "shop", "shop-eu-2", Strategy.SNAPSHOT, false, false), "targetEnvironment"));

        assertThat(header(awaitDeadLetter(migration.toString()), "dead-letter-reason"),
                is("invalid dev.cutover.datasync.sync-data.v1: missing required field 'targetEnvironment'"));
    }

}
