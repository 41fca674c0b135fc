package dev.cutover.provisioning.target;

import dev.cutover.kit.inbox.Deliveries;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Provisioning commands from Kafka; unreadable ones are dead-lettered with the reason. */
@ApplicationScoped
public class ProvisioningHandler {

    @Inject
    Provisioning provisioning;

    @Inject
    Deliveries deliveries;

    @Incoming("commands")
    @Blocking
    public void receive(String message) {
        deliveries.handle("commands", message, provisioning::handle);
    }
}
