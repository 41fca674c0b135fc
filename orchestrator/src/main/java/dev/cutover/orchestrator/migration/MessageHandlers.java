package dev.cutover.orchestrator.migration;

import dev.cutover.kit.inbox.Deliveries;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The orchestrator's two inputs from Kafka: the portal's requests and the services' step events. */
@ApplicationScoped
public class MessageHandlers {

    @Inject
    Migrations migrations;

    @Inject
    Deliveries deliveries;

    @Incoming("requests")
    @Blocking
    public void request(String message) {
        deliveries.handle("requests", message, migrations::onRequest);
    }

    @Incoming("step-events")
    @Blocking
    public void stepEvent(String message) {
        deliveries.handle("step-events", message, migrations::onEvent);
    }
}
