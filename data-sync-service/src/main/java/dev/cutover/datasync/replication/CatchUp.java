package dev.cutover.datasync.replication;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.datasync.AwaitCatchUp;
import dev.cutover.contracts.datasync.CatchUpFailed;
import dev.cutover.contracts.datasync.ReplicationCaughtUp;
import dev.cutover.datasync.copy.Catalog;
import dev.cutover.datasync.copy.Connections;
import dev.cutover.platform.Platform;
import dev.cutover.platform.PlatformException;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Right before the freeze, the replication is brought within a few kilobytes of its source, read afresh every few
 * milliseconds: the freeze then catches up only what is written between now and the fence. The lag reports every
 * {@code lag-report-interval} that let the freeze start may be seconds old, and a subscriber under load carries a backlog
 * that comes and goes (a 1 GB database under pgbench froze 1.4 s, 1.2 s of it catching up, on the last report's word).
 */
@ApplicationScoped
public class CatchUp {

    /** How often the lag is read while waiting. */
    private static final long POLL_MILLIS = 5;

    @Inject
    Platform platform;

    /** Caught up: every database's subscriber is at most this far behind its source. */
    @ConfigProperty(name = "cutover.data-sync.caught-up-below")
    MemorySize caughtUpBelow;

    /** The longest wait; past it the freeze starts anyway (its budget allowed it) and catches up the rest. */
    @ConfigProperty(name = "cutover.data-sync.catch-up-wait")
    Duration wait;

    /** Makes the way back of every replicating database ready on its target (LiveReplication.prepareWayBack); says how long it took. */
    private String prepareWayBack(AwaitCatchUp c, List<Replication> following) throws SQLException {
        long started = System.nanoTime();
        for (Replication r : following) {
            try (Connection target = Connections.open(platform.credentials(r.targetEnvironment, r.database))) {
                LiveReplication.prepareWayBack(target, LiveReplication.name(c.migrationId(), r.database, true), Catalog.tables(target));
            }
        }
        return "the way back made ready in " + (System.nanoTime() - started) / 1_000_000 + " ms";
    }

    /** The answer to {@link AwaitCatchUp}: caught up (or waited long enough), or the lag could not be read. */
    public MigrationMessage await(AwaitCatchUp c) {
        List<Replication> following = Replication.<Replication>list(
                "migrationId = ?1 and sourceEnvironment = ?2 and ending = false and subscribed = true", c.migrationId(), c.environment())
                .stream().filter(r -> !r.redis()).toList();
        if (following.isEmpty()) {
            // A snapshot move, or Redis only (a replica applies in memory, about as fast as its source writes).
            return new ReplicationCaughtUp(c.migrationId(), "nothing to catch up: no database replicates", Map.of());
        }
        // First: what the catch-up reads last is the backlog the freeze starts on.
        String ready;
        try {
            ready = c.wayBack() ? prepareWayBack(c, following) : null;
        } catch (SQLException | PlatformException e) {
            return new CatchUpFailed(c.migrationId(), "making the way back ready on " + c.targetEnvironment() + " failed: "
                    + Connections.reason(e));
        }
        List<Connection> sources = new ArrayList<>();
        try {
            long started = System.nanoTime();
            for (Replication r : following) {
                sources.add(Connections.open(platform.credentials(r.sourceEnvironment, r.database)));
            }
            Map<String, Long> behind = new LinkedHashMap<>();
            while (true) {
                for (int i = 0; i < following.size(); i++) {
                    behind.put(following.get(i).database, LiveReplication.lag(sources.get(i), following.get(i).name()).lagBytes());
                }
                long most = behind.values().stream().mapToLong(Long::longValue).max().orElse(0);
                long waited = (System.nanoTime() - started) / 1_000_000;
                boolean caughtUp = most <= caughtUpBelow.asLongValue();
                if (caughtUp || waited >= wait.toMillis()) {
                    String each = behind.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + " bytes behind")
                            .collect(Collectors.joining(", "));
                    return new ReplicationCaughtUp(c.migrationId(), (caughtUp ? "caught up in " + waited + " ms: "
                            : "not caught up within " + waited + " ms (the freeze catches up the rest): ") + each
                            + (ready == null ? "" : "; " + ready),
                            Map.of("behindBytes", most, "waitedMillis", waited));
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (SQLException | PlatformException e) {
            return new CatchUpFailed(c.migrationId(), "reading the replication lag of " + c.environment() + " failed: "
                    + Connections.reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the replication of " + c.environment(), e);
        } finally {
            for (Connection s : sources) {
                try {
                    s.close();
                } catch (SQLException e) {
                    // A reading connection: nothing of it to keep.
                }
            }
        }
    }
}
