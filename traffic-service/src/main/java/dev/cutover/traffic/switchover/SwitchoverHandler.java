package dev.cutover.traffic.switchover;

import dev.cutover.kit.inbox.Deliveries;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Traffic commands from Kafka; unreadable ones are dead-lettered with the reason. */
@ApplicationScoped
public class SwitchoverHandler {

    @Inject
    Switchover switchover;

    @Inject
    Deliveries deliveries;

    @Incoming("commands")
    @Blocking
    public void receive(String message) {
        deliveries.handle("commands", message, switchover::handle);
    }
}
