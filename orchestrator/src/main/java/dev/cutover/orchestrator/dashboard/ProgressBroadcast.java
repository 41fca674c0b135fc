package dev.cutover.orchestrator.dashboard;

import dev.cutover.contracts.Envelopes;
import dev.cutover.orchestrator.migration.Migration;
import dev.cutover.orchestrator.tenant.Caller;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The progress topic, handed on to the dashboard's browsers as it is on the topic (one CloudEvent per message), each
 * browser given only its tenant's migrations. Read from Kafka rather than from this instance's own commits, so that with
 * several orchestrator instances every browser sees every migration, whichever instance changed it; and only once the
 * change is committed and published.
 */
@ApplicationScoped
public class ProgressBroadcast {

    /** A message and the tenant of the migration it is about ({@code null}: seen only by callers of every tenant). */
    private record Progress(String tenant, String message) {
    }

    // Hot: a subscriber gets what arrives after it subscribed; the page loads the current state from the API itself.
    private final BroadcastProcessor<Progress> progress = BroadcastProcessor.create();

    /** A migration's tenant never changes: each is read once, the most recent few thousand kept. */
    private final Map<UUID, String> tenants = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, String> eldest) {
            return size() > 10_000;
        }
    });

    @Incoming("dashboard-progress")
    @Blocking
    public void onProgress(String message) {
        progress.onNext(new Progress(tenantOf(message), message));
    }

    Multi<String> subscribe(Caller caller) {
        // A browser that cannot keep up is disconnected rather than buffered without bound: its EventSource
        // reconnects and the page reloads the state.
        return progress.onOverflow().buffer(1024).filter(p -> caller.sees(p.tenant())).map(Progress::message);
    }

    /** The tenant of the migration the message's subject names; {@code null} when it names none. */
    private String tenantOf(String message) {
        UUID id;
        try {
            id = UUID.fromString(Envelopes.decode(message).subject());
        } catch (RuntimeException notAMigration) {
            return null;
        }
        String known = tenants.get(id);
        if (known != null) {
            return known;
        }
        String tenant = QuarkusTransaction.joiningExisting().call(() -> {
            Migration m = Migration.findById(id);
            return m == null ? null : m.tenant;
        });
        if (tenant != null) {
            tenants.put(id, tenant);
        }
        return tenant;
    }
}
