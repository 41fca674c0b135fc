package dev.cutover.datasync.replication;

import dev.cutover.contracts.Step;
import dev.cutover.contracts.datasync.WalRetentionExceeded;
import dev.cutover.contracts.migration.StepProgressed;
import dev.cutover.datasync.copy.Connections;
import dev.cutover.datasync.redis.RedisSync;
import dev.cutover.platform.redis.RedisConnection;
import java.io.IOException;
import dev.cutover.kit.outbox.Outbox;
import dev.cutover.kit.trace.TraceContext;
import dev.cutover.platform.DatabaseCredentials;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reports every replication's lag (bytes and seconds) and the WAL its slot holds back on the publishing side, and warns
 * once when that WAL passes the configured limit: a slot nobody consumes fills that server's disk. Replications whose
 * final sync is done are removed here, after the freeze rather than inside it, and the way back is then subscribed; a
 * failed removal or subscription is retried next time.
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

    /** A backlog up to this size is caught up about as fast as the last change was: its time lag says enough. */
    private static final long SMALL_BACKLOG_BYTES = 1024 * 1024;
    /** The apply rate assumed while a subscriber's own is not measured yet, or it applied nothing between two readings. */
    private static final double ASSUMED_BYTES_PER_SECOND = 5.0 * 1024 * 1024;

    /** The advisory lock of a round ("cutoverm" in ASCII; the outbox relay's is "cutover"). */
    private static final long ROUND_LOCK = 0x6375746f7665726dL;

    /** Each replication's last reading: its confirmed position and when, to measure how fast its subscriber applies. */
    private final Map<String, long[]> lastReading = new ConcurrentHashMap<>();

    @Scheduled(every = "${cutover.data-sync.lag-report-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void report() {
        // One round at a time, of any instance, and none while a replication is removed (excludeRounds): a way back
        // subscribed by a round while a cleanup removed it would be left on the source, holding its database.
        if (!(Boolean) Replication.getEntityManager().createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                .setParameter(1, ROUND_LOCK).getSingleResult()) {
            return;
        }
        for (Replication r : Replication.<Replication>listAll()) {
            if (r.ending) {
                end(r);
            } else if (r.subscribed) {
                measure(r);
            }
        }
        Replication.<Replication>list("subscribed = false").stream().map(r -> r.migrationId).distinct().forEach(id -> {
            try {
                followBack(id);
            } catch (SQLException | PlatformException e) {
                LOG.warnf("migration %s: the way back is not subscribed yet: %s", id, Connections.reason(e));
            }
        });
    }

    /**
     * Until the caller's transaction ends, no round runs: it waits for one in flight to commit, so what the caller reads
     * of the replications is what the servers have (a way back subscribed is marked so).
     */
    public static void excludeRounds() {
        Replication.getEntityManager().createNativeQuery("select pg_advisory_xact_lock(?1)").setParameter(1, ROUND_LOCK).getSingleResult();
    }

    /**
     * Makes the sources of a switched migration follow their targets: the forward replication is removed first (a
     * source replaying the target's changes would otherwise send them forward again), then each source subscribes to
     * the slot its target has held since the switch point, so nothing the target took in between is missed.
     */
    public void followBack(UUID migrationId) throws SQLException {
        // A rollback's final sync and a round may both find the way back unsubscribed: one subscribes, the other then finds
        // it done (the lock is the round's own, taken again by a round: advisory locks stack within a transaction).
        excludeRounds();
        for (Replication forward : Replication.<Replication>list("migrationId = ?1 and reverse = false", migrationId)) {
            if (!forward.ending) {
                return;
            }
            if (!end(forward)) {
                throw new SQLException("the forward replication of " + forward.database + " is not removed yet", "55006");
            }
        }
        for (Replication back : Replication.<Replication>list("migrationId = ?1 and reverse = true and subscribed = false", migrationId)) {
            DatabaseCredentials target = platform.credentials(back.sourceEnvironment, back.database);
            try (Connection source = Connections.open(platform.credentials(back.targetEnvironment, back.database))) {
                LiveReplication.subscribe(source, back.name(), LiveReplication.connInfo(target.jdbcUrl(), target.user(), target.password()), true);
            }
            back.subscribed = true;
            measure(back);
        }
    }

    /** Reports one replication's lag now (and warns once if its slot holds too much WAL); not measurable is logged. */
    public void measure(Replication r) {
        if (r.redis()) {
            measureRedis(r);
            return;
        }
        try (Connection source = Connections.open(platform.credentials(r.sourceEnvironment, r.database))) {
            LiveReplication.Lag lag = LiveReplication.lag(source, r.name());
            long limit = walRetentionLimit.asLongValue();
            long catchUp = catchUpMillis(r.name(), lag);
            TraceContext.continuing(r.traceparent, () -> {
                // The data part of a freeze now: catching up the lag. Fencing and switching are the orchestrator's overhead;
                // no row is read inside the freeze. The way back's lag is the data part of a rollback's freeze.
                outbox.send(r.reverse
                        ? new StepProgressed(r.migrationId, Step.COMPLETE, "the way back: " + r.database + " on the source follows the"
                                + " target, " + lag.lagBytes() + " bytes and " + lag.lagMillis() + " ms behind; the target keeps "
                                + lag.retainedWalBytes() + " bytes of WAL for it",
                                Map.of("reverseLagBytes", lag.lagBytes(), "reverseLagMillis", lag.lagMillis(),
                                        "reverseWalRetainedBytes", lag.retainedWalBytes()), r.database)
                        : new StepProgressed(r.migrationId, Step.SYNC, r.database + ": replicating, " + lag.lagBytes()
                                + " bytes and " + lag.lagMillis() + " ms behind; the source keeps " + lag.retainedWalBytes() + " bytes of WAL",
                                Map.of("lagBytes", lag.lagBytes(), "lagMillis", lag.lagMillis(), "walRetainedBytes", lag.retainedWalBytes(),
                                        "freezeDataMillis", catchUp), r.database));
                if (lag.retainedWalBytes() > limit && !r.walWarned) {
                    r.walWarned = true;
                    outbox.send(new WalRetentionExceeded(r.migrationId, r.database, lag.retainedWalBytes(), limit));
                }
            });
        } catch (SQLException | PlatformException e) {
            LOG.warnf("migration %s: replication of %s not measured: %s", r.migrationId, r.database, Connections.reason(e));
        }
    }


    /**
     * How long catching up this lag would take inside a freeze. The time lag ({@code replay_lag}) alone under-reports a
     * backlog the subscriber has not applied yet (a 5 GB copy under load froze 4.8 s on its word): past a small backlog,
     * the bytes behind at the rate the subscriber applied them since the last reading say more.
     */
    long catchUpMillis(String name, LiveReplication.Lag lag) {
        long now = System.nanoTime();
        long[] before = lastReading.put(name, new long[] {lag.confirmedBytes(), now});
        if (lag.lagBytes() <= SMALL_BACKLOG_BYTES) {
            return lag.lagMillis();
        }
        double rate = ASSUMED_BYTES_PER_SECOND;
        if (before != null && now > before[1] && lag.confirmedBytes() > before[0]) {
            rate = (lag.confirmedBytes() - before[0]) / ((now - before[1]) / 1e9);
        }
        return Math.max(lag.lagMillis(), (long) (lag.lagBytes() / rate * 1000));
    }

    /**
     * A Redis replica's lag: the bytes of its source's replication stream not applied yet. Not part of the freeze's
     * prediction: a Redis replica applies in memory, about as fast as the source writes.
     */
    private void measureRedis(Replication r) {
        try (RedisConnection source = RedisConnection.open(platform.credentials(r.sourceEnvironment, r.database));
             RedisConnection target = RedisConnection.open(platform.credentials(r.targetEnvironment, r.database))) {
            if (!RedisSync.follows(target, platform.credentials(r.sourceEnvironment, r.database))) {
                // Promoted by a final sync: its replication row goes with the migration's next step.
                return;
            }
            long lag = RedisSync.lagBytes(source, target);
            TraceContext.continuing(r.traceparent, () -> outbox.send(r.reverse
                    ? new StepProgressed(r.migrationId, Step.COMPLETE, "the way back: Redis " + r.database + " on the source follows the"
                            + " target, " + lag + " bytes behind", Map.of("reverseLagBytes", lag), r.database)
                    : new StepProgressed(r.migrationId, Step.SYNC, "Redis " + r.database + ": replicating, " + lag + " bytes behind",
                            Map.of("lagBytes", lag), r.database)));
        } catch (IOException | PlatformException e) {
            LOG.warnf("migration %s: replication of Redis %s not measured: %s", r.migrationId, r.database, e.getMessage());
        }
    }

    /** Removes the replication's subscription, slot and publication; false (and logged) if that has to wait for next time. */
    private boolean end(Replication r) {
        if (r.redis()) {
            // Promoted inside the freeze: nothing of it is left on either side.
            r.delete();
            return true;
        }
        try {
            try (Connection target = Connections.open(platform.credentials(r.targetEnvironment, r.database))) {
                LiveReplication.dropSubscription(target, r.name());
            }
            try (Connection source = Connections.open(platform.credentials(r.sourceEnvironment, r.database))) {
                LiveReplication.dropSlotAndPublication(source, r.name());
            }
            r.delete();
            lastReading.remove(r.name());
            return true;
        } catch (SQLException | PlatformException e) {
            LOG.warnf("migration %s: replication of %s not removed yet: %s", r.migrationId, r.database, Connections.reason(e));
            return false;
        }
    }
}
