package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.contracts.Topics;
import dev.cutover.stack.LocalStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The confirmation gate's timer: a migration left waiting is flagged stale once, even across an orchestrator crash. */
class StaleIT {

    @Test
    void aMigrationWaitingTooLongIsFlaggedStaleOnceEvenAfterAnOrchestratorCrashAndCanStillBeConfirmed() throws Exception {
        Stack.environment("waiting", "waiting.example.com");
        String id = Stack.start("waiting", Map.of());
        Stack.awaitState(id, Stack.is("awaiting-confirmation"), Duration.ofSeconds(90));

        // The orchestrator dies while the stale timer runs; the timer is in its database, so the new process keeps it.
        Stack.get().crashAndRestart(LocalStack.Service.ORCHESTRATOR);

        long deadline = System.nanoTime() + Stack.STALE_AFTER.plusSeconds(30).toNanos();
        while (staleWarnings(id).isEmpty() && System.nanoTime() < deadline) {
            Stack.sleep(200);
        }
        assertEquals(1, staleWarnings(id).size(), "one MigrationStale on the progress stream");
        JsonNode view = Stack.migration(id);
        assertEquals("awaiting-confirmation", view.path("state").asText());
        assertFalse(view.path("staleSince").isNull(), "the state shows it is stale: " + view);

        Stack.sleep(4000);
        assertEquals(1, staleWarnings(id).size(), "warned once, not every check");
        long staleEntries = 0;
        for (JsonNode h : view.path("history")) {
            if (h.path("reason").asText().startsWith("stale")) {
                staleEntries++;
            }
        }
        assertEquals(1, staleEntries);

        Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/confirm", null).orThrow();
        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
        assertEquals("completed", done.path("state").asText(), done.toPrettyString());
        assertTrue(done.path("staleSince").isNull(), "no longer waiting, no longer stale");
    }

    private static List<ProgressRecorder.Seen> staleWarnings(String id) {
        return Stack.recorder().about(id).stream()
                .filter(s -> s.topic().equals(Topics.MIGRATION_PROGRESS) && s.event().type().equals("dev.cutover.migration.stale.v1"))
                .toList();
    }
}
