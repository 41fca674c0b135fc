package dev.cutover.orchestrator.dashboard;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The progress topic, handed on to the dashboard's browsers as it is on the topic (one CloudEvent per message).
 * Read from Kafka rather than from this instance's own commits, so that with several orchestrator instances every
 * browser sees every migration, whichever instance changed it; and only once the change is committed and published.
 */
@ApplicationScoped
public class ProgressBroadcast {

    // Hot: a subscriber gets what arrives after it subscribed; the page loads the current state from the API itself.
    private final BroadcastProcessor<String> progress = BroadcastProcessor.create();

    @Incoming("dashboard-progress")
    public void onProgress(String message) {
        progress.onNext(message);
    }

    Multi<String> subscribe() {
        // A browser that cannot keep up is disconnected rather than buffered without bound: its EventSource
        // reconnects and the page reloads the state.
        return progress.onOverflow().buffer(1024);
    }
}
