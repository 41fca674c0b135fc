package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A migration given a switch-over window waits, ready, for it, and switches over by itself inside it. */
class ScheduledSwitchOverIT {

    @Test
    void aScheduledSwitchOverWaitsForItsWindowAndThenSwitches() {
        String env = "sched";
        Stack.environment(env, "sched.example.com");
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        String id = Stack.start(env, Map.of("strategy", "snapshot", "switchOverAt", at.toString(),
                "switchOverUntil", at.plusMinutes(10).toString()));

        JsonNode ready = Stack.awaitState(id, s -> s.equals("awaiting-confirmation") || Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
        assertEquals("awaiting-confirmation", ready.path("state").asText(), ready.toPrettyString());
        assertTrue(ready.path("reason").asText().contains("waiting for its switch-over window from"), ready.toPrettyString());
        assertTrue(OffsetDateTime.now(ZoneOffset.UTC).isBefore(at), "ready before the window: the test proves the wait");
        assertEquals("sched@eu-1", Stack.HTTP.send("GET", Stack.get().routerUrl() + "/stats", null, Map.of("Host", "sched.example.com"))
                .header("X-Served-By"), "the source serves until the window");

        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(120));
        assertEquals("completed", done.path("state").asText(), done.toPrettyString());
        OffsetDateTime frozeAt = null;
        for (JsonNode step : done.path("steps")) {
            if (step.path("step").asText().equals("freeze")) {
                frozeAt = OffsetDateTime.parse(step.path("startedAt").asText());
            }
        }
        assertFalse(frozeAt == null || frozeAt.isBefore(at), "froze at " + frozeAt + ", the window opened at " + at);
        assertTrue(done.path("history").toString().contains("confirmed in its switch-over window"), done.path("history").toPrettyString());
        assertEquals("sched-eu-2@eu-2", Stack.HTTP.send("GET", Stack.get().routerUrl() + "/stats", null, Map.of("Host", "sched.example.com"))
                .header("X-Served-By"));
    }
}
