package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The downtime budget: a live migration doesn't freeze while the predicted freeze exceeds it, until the user forces it. */
class DowntimeBudgetIT {

    @Test
    void aLiveMigrationWaitsWhileThePredictedFreezeIsOverItsBudgetSaysWhyAndSwitchesOverWhenForced() throws Exception {
        String env = "budget";
        Stack.environment(env, "budget.example.com");

        // 1 ms: no freeze can be promised within it.
        String id = Stack.start(env, Map.of("strategy", "live", "autoConfirm", true, "freezeBudgetMillis", 1));
        JsonNode waiting = Stack.awaitState(id, s -> s.equals("waiting-for-catch-up") || Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
        assertEquals("waiting-for-catch-up", waiting.path("state").asText(), waiting.toPrettyString());
        // Once the lag is measured the reason says the prediction, and the traffic stays on the source meanwhile.
        JsonNode predicted = Stack.migration(id);
        for (int i = 0; i < 300 && !predicted.hasNonNull("predictedFreezeMillis"); i++) {
            Stack.sleep(100);
            predicted = Stack.migration(id);
        }
        assertTrue(predicted.path("predictedFreezeMillis").asLong() > 1, predicted.toPrettyString());
        assertTrue(predicted.path("reason").asText().contains("is over the budget of 1 ms"), predicted.toPrettyString());
        // Below the fixed cost of a freeze, waiting for the lag would be forever: it says so.
        JsonNode told = predicted;
        for (int i = 0; i < 100 && !told.path("reason").asText().contains("it can never fit"); i++) {
            Stack.sleep(100);
            told = Stack.migration(id);
        }
        assertTrue(told.path("reason").asText().contains("it can never fit"), told.toPrettyString());
        assertEquals("budget@eu-1", servedBy(), "nothing is frozen while waiting");

        Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/force", null).orThrow();
        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(60));

        assertEquals("completed", done.path("state").asText(), done.toPrettyString());
        assertTrue(done.path("history").toString().contains("switch-over forced by the user"), done.toPrettyString());
        assertEquals("budget-eu-2@eu-2", servedBy());
    }

    private static String servedBy() {
        return Stack.HTTP.send("GET", Stack.get().routerUrl() + "/stats", null, Map.of("Host", "budget.example.com"))
                .orThrow().header("X-Served-By");
    }
}
