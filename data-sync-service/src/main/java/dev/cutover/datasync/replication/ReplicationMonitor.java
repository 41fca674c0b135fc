package dev.cutover.datasync.replication;

import dev.cutover.contracts.Step;
import dev.cutover.contracts.datasync.WalRetentionExceeded;
import dev.cutover.contracts.migration.StepProgressed;
import dev.cutover.datasync.copy.Connections;
import dev.cutover.kit.outbox.Outbox;
import dev.cutover.kit.trace.TraceContext;
import dev.cutover.platform.Platform;
import dev.cutover.platform.PlatformException;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reports every live replication's lag (bytes and seconds) and the WAL its slot holds back on the source, and warns
 * once when that WAL passes the configured limit: a slot nobody consumes fills the source's disk. Replications whose
 * final sync is done are removed here, after the freeze rather than inside it; a failed removal is retried next time.
 */
@ApplicationScoped
public class ReplicationMonitor {

    private static final Logger LOG = Logger.getLogger(ReplicationMonitor.class);

    @Inject
    Outbox outbox;

    @Inject
    Platform platform;

    @ConfigProperty(name = "cutover.data-sync.wal-retention-limit")
    MemorySize walRetentionLimit;

    @Scheduled(every = "${cutover.data-sync.lag-report-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void report() {
        for (Replication r : Replication.<Replication>listAll()) {
            if (r.ending) {
                end(r);
                continue;
            }
            measure(r);
        }
    }

    /** Reports one replication's lag now (and warns once if its slot holds too much WAL); not measurable is logged. */
    public void measure(Replication r) {
        try (Connection source = Connections.open(platform.credentials(r.sourceEnvironment, r.database))) {
            LiveReplication.Lag lag = LiveReplication.lag(source, LiveReplication.name(r.migrationId, r.database));
            long limit = walRetentionLimit.asLongValue();
            TraceContext.within(r.traceparent, () -> {
                // The data part of a freeze now: catching up the lag. Fencing and switching are the orchestrator's overhead;
                // no row is read inside the freeze.
                long freezeData = lag.lagMillis();
                outbox.send(new StepProgressed(r.migrationId, Step.SYNC, r.database + ": replicating, " + lag.lagBytes()
                        + " bytes and " + lag.lagMillis() + " ms behind; the source keeps " + lag.retainedWalBytes() + " bytes of WAL",
                        Map.of("lagBytes", lag.lagBytes(), "lagMillis", lag.lagMillis(), "walRetainedBytes", lag.retainedWalBytes(),
                                "freezeDataMillis", freezeData)));
                if (lag.retainedWalBytes() > limit && !r.walWarned) {
                    r.walWarned = true;
                    outbox.send(new WalRetentionExceeded(r.migrationId, r.database, lag.retainedWalBytes(), limit));
                }
            });
        } catch (SQLException | PlatformException e) {
            LOG.warnf("migration %s: replication of %s not measured: %s", r.migrationId, r.database, Connections.reason(e));
        }
    }


    private void end(Replication r) {
        String name = LiveReplication.name(r.migrationId, r.database);
        try {
            try (Connection target = Connections.open(platform.credentials(r.targetEnvironment, r.database))) {
                LiveReplication.dropSubscription(target, name);
            }
            try (Connection source = Connections.open(platform.credentials(r.sourceEnvironment, r.database))) {
                LiveReplication.dropSlotAndPublication(source, name);
            }
            r.delete();
        } catch (SQLException | PlatformException e) {
            LOG.warnf("migration %s: replication of %s not removed yet: %s", r.migrationId, r.database, Connections.reason(e));
        }
    }
}
