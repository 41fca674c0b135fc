package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.stack.LocalStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Services killed with {@code kill -9} (no shutdown, no leaving their consumer groups) while a live migration waits for
 * its confirmation, and started again as a supervisor would: the migration goes on at once once they are back.
 */
class CrashIT {

    @Test
    void servicesKilledMidMigrationTakeTheirPartitionsBackAtOnceAndTheMigrationFinishes() throws Exception {
        Stack.environment("crashing", "crashing.example.com");
        String id = Stack.start("crashing", Map.of("strategy", "live"));
        Stack.awaitState(id, Stack.is("awaiting-confirmation"), Duration.ofSeconds(90));

        // Every service on the rest of the path: the orchestrator, the recheck, the final sync (its replication running).
        for (LocalStack.Service s : List.of(LocalStack.Service.ORCHESTRATOR, LocalStack.Service.PREFLIGHT, LocalStack.Service.DATA_SYNC)) {
            Stack.get().crashAndRestart(s);
        }
        long confirmed = System.nanoTime();
        Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/confirm", null).orThrow();
        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
        long millis = (System.nanoTime() - confirmed) / 1_000_000;
        System.out.printf("[crash] confirmation to %s after kill -9 of three services: %d ms%n", done.path("state").asText(), millis);

        assertEquals("completed", done.path("state").asText(), done.toPrettyString());
        // A consumer that died without leaving held its partitions for the whole session timeout (43 s were seen); a
        // static member takes them back when it rejoins.
        assertTrue(millis < 20_000, "the migration stood still for " + millis + " ms after the restarts");
        Stack.awaitSwitchPointVerified(id);
    }
}
