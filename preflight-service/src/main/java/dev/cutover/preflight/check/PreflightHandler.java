package dev.cutover.preflight.check;

import dev.cutover.contracts.CloudEvent;
import dev.cutover.contracts.Envelopes;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Preflight commands from Kafka. A message that can't be read is dead-lettered with the reason (see application.properties). */
@ApplicationScoped
public class PreflightHandler {

    @Inject
    Preflight preflight;

    @Incoming("commands")
    @Blocking
    public void receive(String message) {
        CloudEvent event = Envelopes.decode(message);
        preflight.handle(event.id(), Envelopes.payload(event));
    }
}
