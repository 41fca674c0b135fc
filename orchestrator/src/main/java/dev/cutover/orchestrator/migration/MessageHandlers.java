package dev.cutover.orchestrator.migration;

import dev.cutover.contracts.CloudEvent;
import dev.cutover.contracts.Envelopes;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The orchestrator's two inputs from Kafka: the portal's requests and the services' step events. */
@ApplicationScoped
public class MessageHandlers {

    @Inject
    Migrations migrations;

    @Incoming("requests")
    @Blocking
    public void request(String message) {
        CloudEvent event = Envelopes.decode(message);
        migrations.onRequest(event.id(), Envelopes.payload(event));
    }

    @Incoming("step-events")
    @Blocking
    public void stepEvent(String message) {
        CloudEvent event = Envelopes.decode(message);
        migrations.onEvent(event.id(), Envelopes.payload(event));
    }
}
