package dev.cutover.kit.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cutover.contracts.MalformedMessageException;
import dev.cutover.contracts.Message;
import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.migration.MigrationRequested;
import dev.cutover.contracts.preflight.RunPreflight;
import dev.cutover.contracts.provisioning.ProvisionTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a message finds a service's {@code on} method. */
class HandlersTest {

    public static class Service {
        final List<String> calls = new ArrayList<>();

        public void on(RunPreflight c) {
            calls.add("preflight");
        }

        public void on(MigrationMessage any) {
            calls.add("any " + any.getClass().getSimpleName());
        }

        public void on(MigrationRequested r, String messageId) {
            calls.add("requested " + messageId);
        }

        public void on(String notAMessage) {
            calls.add("never");
        }
    }

    private final Service service = new Service();

    @Test
    void theMostSpecificMethodTakesTheMessage() {
        deliver("m1", new RunPreflight(UUID.randomUUID(), "shop", "eu-2", Strategy.LIVE, false, null, false, null));
        deliver("m2", new ProvisionTarget(UUID.randomUUID(), "shop", "eu-2", "shop-eu-2"));

        assertEquals(List.of("preflight", "any ProvisionTarget"), service.calls);
    }

    @Test
    void aMethodMayTakeTheMessageId() {
        deliver("m3", new MigrationRequested("shop", "eu-2", Strategy.LIVE, null, false, "portal", null, false, null, null, "acme"));

        assertEquals(List.of("requested m3"), service.calls);
    }

    @Test
    void aMessageNoMethodTakesIsMalformedForThisServiceAndNothingRuns() {
        class OnlyPreflight {
            public void on(RunPreflight c) {
                throw new AssertionError("not called");
            }
        }
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> Handlers.of(new OnlyPreflight())
                .methodFor(new ProvisionTarget(UUID.randomUUID(), "shop", "eu-2", "shop-eu-2"), "preflight-service"));
        assertEquals("preflight-service does not handle ProvisionTarget", e.getMessage());
    }

    @Test
    void aHandlerWithoutOnMethodsIsRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> Handlers.of(new Object()));
    }

    @Test
    void whatTheServiceThrowsReachesTheCallerAsItIs() {
        class Failing {
            public void on(RunPreflight c) {
                throw new IllegalStateException("target server eu-2 is offline");
            }
        }
        Failing failing = new Failing();
        Message m = new RunPreflight(UUID.randomUUID(), "shop", "eu-2", Strategy.LIVE, false, null, false, null);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Handlers.invoke(Handlers.of(failing).methodFor(m, "preflight-service"), failing, "m4", m));
        assertEquals("target server eu-2 is offline", e.getMessage());
    }

    private void deliver(String id, Message m) {
        Handlers.invoke(Handlers.of(service).methodFor(m, "test-service"), service, id, m);
    }
}
