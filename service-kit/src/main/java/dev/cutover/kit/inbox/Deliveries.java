package dev.cutover.kit.inbox;

import dev.cutover.contracts.CloudEvent;
import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Message;
import dev.cutover.kit.trace.TraceContext;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.BiConsumer;

/**
 * What every {@code @Incoming} method does: read the envelope, hand its id and message to the service within the
 * message's trace (what the service sends carries it on). A message that
 * fails is counted ({@code cutover_messages_dead_lettered_total}) and the failure rethrown, so the connector's
 * dead-letter strategy sends it to the dead-letter topic with the reason, and the consumer goes on.
 */
@ApplicationScoped
public class Deliveries {

    @Inject
    MeterRegistry metrics;

    public void handle(String channel, String value, BiConsumer<String, Message> service) {
        try {
            CloudEvent event = Envelopes.decode(value);
            TraceContext.within(event.traceparent(), () -> service.accept(event.id(), Envelopes.payload(event)));
        } catch (RuntimeException e) {
            metrics.counter("cutover.messages.dead.lettered", "channel", channel).increment();
            throw e;
        }
    }
}
