package dev.cutover.datasync.redis;

import dev.cutover.contracts.datasync.SyncData;
import dev.cutover.contracts.datasync.TableComparison;
import dev.cutover.datasync.copy.Workers;
import dev.cutover.datasync.replication.Replication;
import dev.cutover.datasync.replication.ReplicationMonitor;
import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.Environment;
import dev.cutover.platform.Platform;
import dev.cutover.platform.redis.RedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Redis databases of a migration, step by step, beside the PostgreSQL ones. A {@code cache} is never copied: the
 * runbook clears the destination's caches once its databases are loaded, so the target's is emptied, at the final sync
 * too (and a rollback empties the source's). A {@code store} moves with every key, by the migration's strategy.
 */
@ApplicationScoped
public class RedisMoves {

    @Inject
    Platform platform;

    @Inject
    ReplicationMonitor monitor;

    @ConfigProperty(name = "cutover.data-sync.jobs")
    int jobs;

    @ConfigProperty(name = "cutover.data-sync.catch-up-timeout")
    Duration catchUpTimeout;

    @ConfigProperty(name = "cutover.data-sync.redis-initial-sync-timeout")
    Duration initialSyncTimeout;

    /** One Redis database of a migration, with how to reach both of its sides. */
    public record Addon(Environment.Database db, DatabaseCredentials source, DatabaseCredentials target) {
    }

    /** The Redis databases of the sync's environment, each with both sides' logins: looked up once, outside the freeze's path. */
    public List<Addon> addons(SyncData c, List<Environment.Database> databases) {
        return databases.stream().filter(d -> "redis".equals(d.kind()))
                .map(d -> new Addon(d, platform.credentials(c.environment(), d.name()), platform.credentials(c.targetEnvironment(), d.name())))
                .toList();
    }

    /** What one Redis database's step did. */
    public record Moved(String database, long keys, List<TableComparison> compared, String note) {
    }

    /**
     * Before the gate. {@code live}: the target replicates the source, and once it has loaded the snapshot every key is
     * compared (a key the source keeps changing is left to the freeze's catch-up). {@code snapshot}: a first copy, which
     * the final sync makes again from the fenced source and compares there.
     */
    public Moved sync(SyncData c, Addon addon, boolean live, String trace) throws IOException {
        return store(addon, (db, sourceLogin, targetLogin, ends) -> {
            long started = System.nanoTime();
            if (!live) {
                RedisSync.Copied copied = RedisSync.copy(sourceLogin, targetLogin, Workers.count(jobs));
                return new Moved(db.name(), copied.keys(), List.of(), db.name() + ": " + copied.keys() + " Redis keys (" + copied.bytes()
                        + " bytes) copied in " + (System.nanoTime() - started) / 1_000_000
                        + " ms; copied again and compared key by key inside the freeze");
            }
            if (!RedisSync.follows(ends.target(), sourceLogin)) {
                RedisSync.follow(ends.target(), sourceLogin);
            }
            RedisSync.awaitInSync(ends.target(), initialSyncTimeout);
            long synced = System.nanoTime();
            List<TableComparison> compared = RedisSync.compare(db.name(), sourceLogin, targetLogin, Workers.count(jobs), false);
            long keys = RedisSync.keyCounts(ends.target()).values().stream().mapToLong(Long::longValue).sum();
            Replication.delete("migrationId = ?1 and database = ?2", c.migrationId(), db.name());
            monitor.measure(Replication.record(c, db.name(), "redis", false, true, trace));
            return new Moved(db.name(), keys, compared, db.name() + ": the Redis target replicates the source: " + keys
                    + " keys loaded in " + (synced - started) / 1_000_000 + " ms, every key compared in "
                    + (System.nanoTime() - synced) / 1_000_000 + " ms");
        });
    }

    /**
     * Inside the freeze, the source fenced. A replica is caught up to the source's stream and promoted, and the key counts
     * of both sides compared (the same offset is the same data); the way back starts once every database is final
     * ({@link #wayBackStarted}). Otherwise every key is copied from the still source and compared.
     */
    public Moved finalSync(Addon addon) throws IOException {
        return store(addon, (db, sourceLogin, targetLogin, ends) -> {
            long started = System.nanoTime();
            List<TableComparison> compared;
            String how;
            if (RedisSync.follows(ends.target(), sourceLogin)) {
                long caughtUp = RedisSync.catchUp(ends.source(), ends.target(), catchUpTimeout);
                RedisSync.promote(ends.target());
                compared = counts(db.name(), RedisSync.keyCounts(ends.source()), RedisSync.keyCounts(ends.target()));
                how = "Redis caught up in " + caughtUp + " ms and promoted";
            } else if (RedisSync.follows(ends.source(), targetLogin)) {
                // A retried final sync: an earlier attempt promoted the target and started the way back. Copying now would
                // empty the target, and the source with it.
                compared = counts(db.name(), RedisSync.keyCounts(ends.source()), RedisSync.keyCounts(ends.target()));
                how = "Redis promoted by an earlier attempt";
            } else {
                RedisSync.Copied copied = RedisSync.copy(sourceLogin, targetLogin, Workers.count(jobs));
                compared = RedisSync.compare(db.name(), sourceLogin, targetLogin, Workers.count(jobs), true);
                how = copied.keys() + " Redis keys copied and compared";
            }
            long keys = compared.stream().mapToLong(TableComparison::targetRows).sum();
            return new Moved(db.name(), keys, compared, db.name() + ": " + how + " in " + (System.nanoTime() - started) / 1_000_000
                    + " ms, " + keys + " keys");
        });
    }

    /**
     * Once every database and addon is final, before the target takes a write: from here on, the source of every store
     * follows the target. Not inside {@link #finalSync}, which runs beside the databases': a database refused there
     * leaves the source serving, and a replica takes no writes.
     */
    public void wayBackStarted(SyncData c, List<Addon> addons, String trace) throws IOException {
        for (Addon addon : addons) {
            String db = addon.db().name();
            if (cache(addon.db())) {
                continue;
            }
            try (RedisConnection source = RedisConnection.open(addon.source())) {
                if (!RedisSync.follows(source, addon.target())) {
                    RedisSync.follow(source, addon.target());
                }
            }
            if (Replication.count("migrationId = ?1 and database = ?2 and reverse = true", c.migrationId(), db) == 0) {
                Replication.record(c, db, "redis", true, true, trace);
            }
        }
    }

    /** What a step does with a store, on both sides connected. */
    @FunctionalInterface
    private interface StoreStep {
        Moved run(Environment.Database db, DatabaseCredentials source, DatabaseCredentials target, Ends ends) throws IOException;
    }

    /** Runs {@code step} for a store; a cache is emptied on the target instead, at every step. */
    private static Moved store(Addon addon, StoreStep step) throws IOException {
        try (Ends ends = Ends.open(addon.source(), addon.target())) {
            if (cache(addon.db())) {
                ends.target().call("FLUSHALL");
                return new Moved(addon.db().name(), 0, List.of(), addon.db().name() + ": a cache, not copied: the target's is emptied");
            }
            return step.run(addon.db(), addon.source(), addon.target(), ends);
        }
    }

    /** The compensation: neither side follows the other any more, and the target's copy is emptied; the source keeps its keys. */
    public void undo(String source, String target, Environment.Database db, boolean targetExists) throws IOException {
        DatabaseCredentials sourceLogin = platform.credentials(source, db.name());
        try (RedisConnection s = RedisConnection.open(sourceLogin)) {
            if (targetExists) {
                DatabaseCredentials targetLogin = platform.credentials(target, db.name());
                try (RedisConnection t = RedisConnection.open(targetLogin)) {
                    if (RedisSync.follows(s, targetLogin)) {
                        RedisSync.promote(s);
                    }
                    RedisSync.promote(t);
                    t.call("FLUSHALL");
                }
            } else if ("slave".equals(s.info("replication").get("role"))) {
                RedisSync.promote(s);
            }
        }
    }

    /** The end of the rollback window: the source stops following the target. */
    public void endWayBack(UUID migrationId, String source, Environment.Database db) throws IOException {
        try (RedisConnection s = RedisConnection.open(platform.credentials(source, db.name()))) {
            if ("slave".equals(s.info("replication").get("role"))) {
                RedisSync.promote(s);
            }
        }
        Replication.delete("migrationId = ?1 and database = ?2 and reverse = true", migrationId, db.name());
    }

    /** Both sides of one Redis database, connected as the platform's migration user. */
    private record Ends(RedisConnection source, RedisConnection target) implements AutoCloseable {
        static Ends open(DatabaseCredentials source, DatabaseCredentials target) throws IOException {
            RedisConnection s = RedisConnection.open(source);
            try {
                return new Ends(s, RedisConnection.open(target));
            } catch (IOException e) {
                s.close();
                throw e;
            }
        }

        @Override
        public void close() {
            source.close();
            target.close();
        }
    }

    public static boolean cache(Environment.Database db) {
        return "cache".equals(db.plan());
    }

    private static List<TableComparison> counts(String database, Map<Integer, Long> source, Map<Integer, Long> target) {
        List<TableComparison> compared = new ArrayList<>();
        TreeSet<Integer> dbs = new TreeSet<>(source.keySet());
        dbs.addAll(target.keySet());
        for (int n : dbs) {
            long s = source.getOrDefault(n, 0L);
            long t = target.getOrDefault(n, 0L);
            compared.add(new TableComparison(database, "db" + n, s, t, s == t, s == t ? null : s + " keys on the source, " + t + " on the target"));
        }
        return compared;
    }
}
