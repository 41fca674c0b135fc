package dev.cutover.provisioning.target;

import dev.cutover.contracts.CloudEvent;
import dev.cutover.contracts.Envelopes;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Provisioning commands from Kafka; unreadable ones are dead-lettered with the reason. */
@ApplicationScoped
public class ProvisioningHandler {

    @Inject
    Provisioning provisioning;

    @Incoming("commands")
    @Blocking
    public void receive(String message) {
        CloudEvent event = Envelopes.decode(message);
        provisioning.handle(event.id(), Envelopes.payload(event));
    }
}
