package dev.cutover.preflight.check;

import dev.cutover.kit.inbox.Deliveries;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Preflight commands from Kafka. A message that can't be read is dead-lettered with the reason (see application.properties). */
@ApplicationScoped
public class PreflightHandler {

    @Inject
    Preflight preflight;

    @Inject
    Deliveries deliveries;

    @Incoming("commands")
    @Blocking
    public void receive(String message) {
        deliveries.handle("commands", message, preflight::handle);
    }
}
