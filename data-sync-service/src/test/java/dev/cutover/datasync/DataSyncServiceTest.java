package dev.cutover.datasync;

import dev.cutover.testkit.CommandConsumerContract;
import static dev.cutover.testkit.TestSupport.awaitDeadLetter;
import static dev.cutover.testkit.TestSupport.header;
import static dev.cutover.testkit.TestSupport.query;
import static dev.cutover.testkit.TestSupport.send;
import static dev.cutover.testkit.TestSupport.withoutField;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cutover.contracts.Message;
import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.Topics;
import dev.cutover.contracts.datasync.SyncData;
import dev.cutover.contracts.traffic.HoldTraffic;
import dev.cutover.testkit.SharedTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
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
    void startsWithTheKitsAndItsOwnFlywayMigrationsApplied() {
        assertEquals(List.of(List.of("1.0", "messaging", "t"), List.of("1.0.1", "outbox traceparent", "t"), List.of("1.1", "copied tables", "t"),
                        List.of("1.2", "checksums and replication", "t"),
                        List.of("1.3", "no verification in the freeze", "t")),
                query("data_sync", "select version, description, success from flyway_schema_history"
                        + " where version is not null order by installed_rank"));
    }

    @Test
    void aCommandMissingARequiredFieldIsDeadLetteredNamingTheField() {
        UUID migration = UUID.randomUUID();
        send(Topics.DATA_SYNC_COMMANDS, migration.toString(), withoutField(new SyncData(migration, "shop", "shop-eu-2", Strategy.SNAPSHOT, false), "targetEnvironment"));

        assertThat(header(awaitDeadLetter(migration.toString()), "dead-letter-reason"),
                is("invalid dev.cutover.datasync.sync-data.v1: missing required field 'targetEnvironment'"));
    }

}
