package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.stack.LoadDriver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** After the switch-over: traffic goes back to the source, and what was written on the target comes with it. */
class RollbackIT {

    @Test
    void rollbackPutsTrafficBackOnTheSourceWithEveryWriteMadeOnTheTargetAndNoFailedRequest() throws Exception {
        String env = "rb";
        String domain = "rb.example.com";
        Stack.environment(env, domain);
        String id = Stack.start(env, Map.of("autoConfirm", true));
        JsonNode completed = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
        assertEquals("completed", completed.path("state").asText(), completed.toPrettyString());
        String switchDetail = step(completed, "switch-over").path("detail").asText();
        assertTrue(switchDetail.contains("DNS changes to make: rb.example.com CNAME rb.apps.localhost -> rb-eu-2.apps.localhost"),
                switchDetail);

        LoadDriver load = LoadDriver.start(Stack.get().routerUrl(), domain, 40);
        Stack.sleep(1500);
        var rollback = Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/rollback", null);
        assertEquals(202, rollback.status(), String.valueOf(rollback.body()));
        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
        Stack.sleep(1000);
        LoadDriver.Report traffic = load.stop();

        assertEquals("rolled-back", done.path("state").asText(), done.toPrettyString());
        assertEquals(0, traffic.failed(), "failed requests: " + traffic.failures());
        assertEquals(env + "@eu-1", Stack.HTTP.send("GET", Stack.get().routerUrl() + "/stats", null, Map.of("Host", domain))
                .orThrow().header("X-Served-By"));
        // Writes acknowledged while the target served, during the rollback and after it are all on the source.
        assertEquals(traffic.ackedWrites().size(), Stack.customersAmong(env, traffic.ackedWrites()));
        JsonNode source = Stack.HTTP.get(Stack.platform() + "/environments/" + env).orThrow().body();
        assertFalse(source.path("flags").path("frozen").asBoolean(), "the source can change again");
        assertTrue(source.path("flags").path("default").asBoolean(), "the source is the default again");
        assertEquals("completed", step(done, "rollback").path("status").asText());
        assertEquals(409, Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/rollback", null).status(), "only once");
    }

    private static JsonNode step(JsonNode view, String name) {
        for (JsonNode s : view.path("steps")) {
            if (s.path("step").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no step " + name + " in " + view);
    }

}
