package dev.cutover.datasync.copy;

import dev.cutover.contracts.Step;
import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.datasync.AwaitCatchUp;
import dev.cutover.contracts.datasync.DataSyncCompensated;
import dev.cutover.contracts.datasync.DataSyncFailed;
import dev.cutover.contracts.datasync.DataSynced;
import dev.cutover.contracts.datasync.EndWayBack;
import dev.cutover.contracts.datasync.PauseReplication;
import dev.cutover.contracts.datasync.ReplicationPaused;
import dev.cutover.contracts.datasync.ReplicationResumed;
import dev.cutover.contracts.datasync.ResumeReplication;
import dev.cutover.contracts.datasync.FinalSyncCompensated;
import dev.cutover.contracts.datasync.SyncData;
import dev.cutover.contracts.datasync.TableComparison;
import dev.cutover.contracts.datasync.TargetVerified;
import dev.cutover.contracts.datasync.UndoFinalSync;
import dev.cutover.contracts.datasync.UndoSyncData;
import dev.cutover.contracts.datasync.VerificationFailed;
import dev.cutover.contracts.datasync.VerifyTarget;
import dev.cutover.contracts.datasync.WayBackEnded;
import dev.cutover.contracts.migration.CompensationFailed;
import dev.cutover.contracts.migration.StepProgressed;
import dev.cutover.contracts.migration.StepStarted;
import dev.cutover.datasync.redis.RedisMoves;
import dev.cutover.datasync.replication.CatchUp;
import dev.cutover.datasync.replication.LiveReplication;
import dev.cutover.datasync.replication.Replication;
import dev.cutover.datasync.replication.ReplicationMonitor;
import dev.cutover.datasync.verify.Checksums;
import dev.cutover.datasync.verify.SwitchPointVerification;
import dev.cutover.kit.inbox.Deliveries;
import dev.cutover.kit.outbox.Outbox;
import dev.cutover.kit.trace.TraceContext;
import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.Environment;
import dev.cutover.platform.Platform;
import dev.cutover.platform.PlatformException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Moves and compares the databases of an environment, every database at once. {@code snapshot}: one consistent
 * parallel copy. {@code live}: the same copy from the snapshot a replication slot exports, then PostgreSQL's logical
 * replication keeps the target current until the final sync, inside the freeze, waits for it to catch up.
 */
@ApplicationScoped
public class DataSync {

    private static final Logger LOG = Logger.getLogger(DataSync.class);

    @Inject
    Deliveries deliveries;

    @Inject
    Outbox outbox;

    @Inject
    Platform platform;

    @Inject
    ReplicationMonitor monitor;

    @Inject
    SwitchPointVerification switchPointVerification;

    @Inject
    RedisMoves redis;

    @Inject
    CatchUp catchUp;

    @ConfigProperty(name = "cutover.data-sync.jobs")
    int jobs;

    @ConfigProperty(name = "cutover.data-sync.chunk-rows")
    long chunkRows;

    @ConfigProperty(name = "cutover.data-sync.split-tables-larger-than")
    MemorySize splitTablesLargerThan;

    @ConfigProperty(name = "cutover.data-sync.catch-up-timeout")
    Duration catchUpTimeout;

    @ConfigProperty(name = "cutover.data-sync.reconnect")
    Duration reconnect;

    /** What one database's sync did; a live final sync leaves the target held at the switch point, to be verified after. */
    private record Synced(String database, List<SnapshotCopy.TableCopied> copied, List<TableComparison> compared, String note,
                          SwitchPointVerification.Point switchPoint) {
    }

    /** A database's sync as a task that may fail with a reason for the user. */
    @FunctionalInterface
    private interface DatabaseWork<T> {
        Synced run(T db) throws SQLException, RefusedException;
    }

    /** The final sync finds something that makes switching over unsafe; the source keeps serving. */
    private static final class RefusedException extends Exception {
        RefusedException(String reason) {
            super(reason);
        }
    }

    @Incoming("commands")
    @Blocking(ordered = false)
    public void receive(String record) {
        deliveries.deliver("commands", record, this);
    }

    /** Right before the freeze: the replication caught up now, not on the last lag report's word. */
    public void on(AwaitCatchUp c) {
        outbox.send(catchUp.await(c));
    }

    /** The final sync's compensation: the source takes writes again. */
    public void on(UndoFinalSync c) {
        try {
            platform.fenceWrites(c.environment(), false);
            outbox.send(new FinalSyncCompensated(c.migrationId()));
        } catch (PlatformException e) {
            outbox.send(new CompensationFailed(c.migrationId(), Step.FINAL_SYNC, "lifting the write fence of " + c.environment()
                    + " failed: " + e.getMessage()));
        }
    }

    public void on(SyncData c) {
        Step step = c.finalSync() ? Step.FINAL_SYNC : Step.SYNC;
        if (!c.finalSync()) {
            // The final sync runs inside the freeze, where every event costs the orchestrator a transaction on its path.
            outbox.send(new StepStarted(c.migrationId(), step));
        }
        long started = System.nanoTime();
        if (c.strategy() == Strategy.MANUAL) {
            outbox.send(new DataSynced(c.migrationId(), c.finalSync(), 0, 0, 0, 0, 0));
            return;
        }
        // The final sync of a live migration ends its replication; a rollback's ends the way back, or (a one-way move)
        // copies the target back.
        List<Replication> following = c.finalSync()
                ? Replication.list("migrationId = ?1 and sourceEnvironment = ?2 and ending = false", c.migrationId(), c.environment())
                : List.of();
        boolean replicating = !following.isEmpty();
        boolean rollingBack = replicating && following.get(0).reverse;
        boolean live = c.strategy() == Strategy.LIVE && !c.finalSync();
        String trace = TraceContext.next();
        List<SwitchPointVerification.Point> switchPoints = new ArrayList<>();
        boolean verifying = false;
        String fenced = null;
        Map<String, Long> fenceFigures = Map.of();
        // Inside the freeze, what the fence doesn't change (the databases, their credentials, both sides' connections, the
        // target's side) is looked up while the fence goes up.
        CompletableFuture<List<Ends>> ends = replicating ? CompletableFuture.supplyAsync(() -> ends(c)) : null;
        CompletableFuture<List<RedisMoves.Addon>> redisAddons = c.finalSync()
                ? CompletableFuture.supplyAsync(() -> redis.addons(c, addons(c.environment(), "redis"))) : null;
        CompletableFuture<List<RedisMoves.Moved>> finishedAddons = null;
        try {
            if (rollingBack && following.stream().anyMatch(r -> !r.subscribed)) {
                // Rolled back right after the switch-over, before the way back was subscribed: it is, now.
                monitor.followBack(c.migrationId());
            }
            if (c.finalSync()) {
                // Whoever writes, the environment being left takes no more writes: what follows reads a still source. A
                // one-way rollback copies onto the source, fenced since its switch-over: it takes writes again first.
                long fencing = System.nanoTime();
                platform.fenceWrites(c.environment(), true);
                if (!replicating) {
                    platform.fenceWrites(c.targetEnvironment(), false);
                }
                // Reported with each database's note: inside the freeze, every message costs the orchestrator a transaction.
                long fenceMillis = (System.nanoTime() - fencing) / 1_000_000;
                fenced = "writes to " + c.environment() + " fenced in " + fenceMillis + " ms";
                fenceFigures = Map.of("fenceMillis", fenceMillis);
            }
            // Inside the freeze the addons are finished beside the databases, not after them.
            finishedAddons = c.finalSync()
                    ? redisAddons.thenApplyAsync(this::finalSyncs) : null;
            List<Synced> results = replicating
                    ? each(joined(ends), e -> finishReplication(c, e, rollingBack))
                    : c.finalSync() ? each(databases(c.environment()), db -> copy(c, step, db, live, trace))
                    : againWhileLost(c, step, () -> each(databases(c.environment()), db -> copy(c, step, db, live, trace)));
            ends = null;
            List<RedisMoves.Moved> moved = new ArrayList<>();
            if (c.finalSync()) {
                moved.addAll(joinedMoves(finishedAddons));
            } else {
                for (RedisMoves.Addon addon : againWhileLost(c, step, () -> redis.addons(c, addons(c.environment(), "redis")))) {
                    moved.add(redis.sync(c, addon, live, trace));
                }
            }
            if (rollingBack) {
                // Every source database has caught up and holds its switch point: the source takes writes again (the
                // migration's own sessions, holding the points, are not ended).
                platform.fenceWrites(c.targetEnvironment(), false);
            }
            if (!c.finalSync()) {
                CopiedTable.delete("migrationId", c.migrationId());
            }
            List<String> differing = new ArrayList<>();
            // One note for the whole sync: inside the freeze, every message costs the orchestrator a transaction on the
            // outcome's path (one per database and addon held the final sync's outcome up by 90 ms).
            List<String> notes = new ArrayList<>();
            long tables = 0;
            long rows = 0;
            long bytes = 0;
            for (Synced r : results) {
                for (TableComparison t : r.compared()) {
                    if (!c.finalSync()) {
                        remember(c, t);
                    }
                }
                differing.addAll(describe(r.compared()));
                tables += r.switchPoint() != null ? r.switchPoint().tables().size() : r.compared().size();
                rows += r.copied().isEmpty() ? r.compared().stream().mapToLong(TableComparison::targetRows).sum()
                        : r.copied().stream().mapToLong(SnapshotCopy.TableCopied::rows).sum();
                bytes += r.copied().stream().mapToLong(SnapshotCopy.TableCopied::bytes).sum();
                if (live) {
                    startedReplication(c, r, trace);
                }
                if (r.note() != null) {
                    notes.add(r.note());
                }
                if (r.switchPoint() != null) {
                    switchPoints.add(r.switchPoint());
                }
            }
            long keys = 0;
            for (RedisMoves.Moved m : moved) {
                if (!c.finalSync()) {
                    m.compared().forEach(t -> remember(c, t));
                }
                differing.addAll(describe(m.compared()));
                keys += m.keys();
                notes.add(m.note());
            }
            if (fenced != null) {
                notes.add(fenced);
            }
            if (!notes.isEmpty()) {
                Map<String, Long> figures = new HashMap<>(fenceFigures);
                if (!moved.isEmpty()) {
                    figures.put("keys", keys);
                }
                outbox.send(new StepProgressed(c.migrationId(), step, String.join("; ", notes), figures, null));
            }
            if (c.finalSync()) {
                if (!rollingBack) {
                    // Removed after the freeze (ReplicationMonitor); a compensation would remove it too. The way back ended by
                    // a rollback is removed by the rollback's next steps.
                    Replication.update("ending = true where migrationId = ?1", c.migrationId());
                }
                if (!differing.isEmpty()) {
                    // Inside the freeze the source is still: it and the target must now be equal.
                    outbox.send(new DataSyncFailed(c.migrationId(), "after the final sync, tables differ: " + String.join("; ", differing)));
                    return;
                }
                if (c.wayBack()) {
                    results.forEach(r -> wayBackStarted(c, r.database(), trace));
                    redis.wayBackStarted(c, joinedAddons(redisAddons), trace);
                }
            }
            outbox.send(new DataSynced(c.migrationId(), c.finalSync(), tables, rows, keys, bytes, (System.nanoTime() - started) / 1_000_000));
            if (!switchPoints.isEmpty()) {
                switchPointVerification.afterCommit(c.migrationId(), switchPoints, trace);
                verifying = true;
            }
        } catch (RefusedException e) {
            outbox.send(new DataSyncFailed(c.migrationId(), e.getMessage()));
        } catch (IOException e) {
            LOG.warnf(e, "migration %s: moving Redis failed", c.migrationId());
            outbox.send(new DataSyncFailed(c.migrationId(), "moving Redis failed: " + e.getMessage()));
        } catch (SQLException | PlatformException e) {
            LOG.warnf(e, "migration %s: copying the data failed", c.migrationId());
            outbox.send(new DataSyncFailed(c.migrationId(), "copying the data failed: " + Connections.reason(e)));
        } finally {
            if (finishedAddons != null) {
                // A database's failure leaves the addons finished, not half-way, for whatever compensates next.
                finishedAddons.handle((moved, failure) -> moved).join();
            }
            if (ends != null) {
                // The fence failed: the connections opened meanwhile are not needed.
                ends.thenAccept(found -> found.forEach(Ends::close));
            }
            if (!verifying) {
                SwitchPointVerification.close(switchPoints);
            }
        }
    }

    /**
     * The first sync, started again from nothing when a database is not there (its server restarted or failed over, or
     * the platform can't reach it): the copy empties the target's tables and makes a new slot first, so nothing is
     * doubled. Tried for {@code cutover.data-sync.reconnect}; not inside the freeze, whose bound a new copy would pass.
     */
    private <T> T againWhileLost(SyncData c, Step step, Attempt<T> attempt) throws SQLException, RefusedException {
        long deadline = System.nanoTime() + reconnect.toNanos();
        for (long pause = 500; ; pause = Math.min(pause * 2, 5000)) {
            try {
                return attempt.run();
            } catch (SQLException | PlatformException e) {
                // The platform answers 503 for a database server it can't reach (or one still starting up).
                boolean lost = e instanceof PlatformException p ? p.status() == 503 : Deliveries.unavailable(e);
                if (!lost || System.nanoTime() + pause * 1_000_000 > deadline) {
                    throw e;
                }
                String note = "a database was not there (" + Connections.reason(e) + "): copying again";
                LOG.warnf("migration %s: %s", c.migrationId(), note);
                // Committed now: the step's own transaction commits only at its end.
                QuarkusTransaction.requiringNew().run(() -> outbox.send(new StepProgressed(c.migrationId(), step, note, Map.of(), null)));
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private interface Attempt<T> {
        T run() throws SQLException, RefusedException;
    }

    /**
     * Copies one database from a consistent snapshot and compares both sides in that snapshot. For {@code live} the
     * snapshot is the one the new replication slot exports, and the target subscribes to the slot once the copy is in.
     */
    private Synced copy(SyncData c, Step step, Environment.Database db, boolean live, String trace) throws SQLException {
        DatabaseCredentials source = platform.credentials(c.environment(), db.name());
        DatabaseCredentials target = platform.credentials(c.targetEnvironment(), db.name());
        String name = LiveReplication.name(c.migrationId(), db.name(), false);
        try (Connection meta = Connections.open(source)) {
            List<Catalog.Table> tables = Catalog.tables(meta);
            Connection exporter = null;
            String snapshot;
            if (live) {
                // A retried sync starts again from nothing: a slot left by an interrupted attempt would block the name.
                try (Connection t = Connections.open(target)) {
                    LiveReplication.dropSubscription(t, name);
                }
                LiveReplication.dropSlotAndPublication(meta, name);
                LiveReplication.publish(meta, name, tables);
                exporter = Connections.replication(source);
                snapshot = LiveReplication.createSlot(exporter, name);
            } else {
                meta.setAutoCommit(false);
                meta.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try (Statement s = meta.createStatement(); ResultSet rs = s.executeQuery("select pg_export_snapshot()")) {
                    rs.next();
                    snapshot = rs.getString(1);
                }
            }
            SnapshotCopy.Result copied;
            List<TableComparison> compared;
            try (Workers workers = new Workers(Workers.count(jobs), () -> Connections.open(source), () -> Connections.open(target), snapshot, null)) {
                if (exporter != null) {
                    // Every worker has imported the snapshot; the slot's connection is no longer needed.
                    exporter.close();
                    exporter = null;
                }
                // The first copy's throughput, sampled every second while the tables stream and once more when they are
                // in (not inside a freeze: a snapshot's final copy has no time to spare).
                LongAdder streamed = new LongAdder();
                long copyStarted = System.nanoTime();
                boolean sampled = step == Step.SYNC;
                ScheduledFuture<?> sampling = sampled ? SAMPLER.scheduleAtFixedRate(() -> copying(trace, c, step, db.name(), streamed,
                        copyStarted), 1, 1, TimeUnit.SECONDS) : null;
                try {
                    copied = SnapshotCopy.copy(workers, tables, splitTablesLargerThan.asLongValue(), one -> progress(trace, c, step, db.name(), one),
                            streamed);
                } finally {
                    if (sampling != null) {
                        sampling.cancel(false);
                    }
                }
                if (sampled) {
                    copying(trace, c, step, db.name(), streamed, copyStarted);
                }
                compared = Checksums.compare(db.name(), tables, workers, chunkRows);
            } finally {
                if (exporter != null) {
                    exporter.close();
                }
            }
            if (live) {
                try (Connection t = Connections.open(target)) {
                    LiveReplication.subscribe(t, name, LiveReplication.connInfo(source.jdbcUrl(), source.user(), source.password()), false);
                }
            }
            String note = null;
            if (c.finalSync() && c.wayBack()) {
                // The target, copied inside the freeze, is the switch point: the way back starts here.
                long starting = System.nanoTime();
                try (Connection t = Connections.open(target)) {
                    LiveReplication.startWayBack(t, LiveReplication.name(c.migrationId(), db.name(), true), tables);
                }
                note = db.name() + ": the way back started in " + (System.nanoTime() - starting) / 1_000_000 + " ms";
            }
            return new Synced(db.name(), copied.tables(), compared, note, null);
        }
    }

    /**
     * One database's two ends for its final sync: both connected and the target's columns read while the fence goes up.
     * The source's session is the migration's own, which the fence leaves open.
     */
    private record Ends(Environment.Database db, DatabaseCredentials source, DatabaseCredentials target, Connection sourceConnection,
                        Connection targetConnection, Map<String, List<String>> targetShapes) {
        void close() {
            for (Connection c : List.of(sourceConnection, targetConnection)) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing: nothing left to do
                }
            }
        }
    }

    private List<Ends> ends(SyncData c) {
        List<Ends> found = new ArrayList<>();
        try {
            for (Environment.Database db : databases(c.environment())) {
                DatabaseCredentials source = platform.credentials(c.environment(), db.name());
                DatabaseCredentials target = platform.credentials(c.targetEnvironment(), db.name());
                Connection t = Connections.open(target);
                Connection s = null;
                try {
                    s = Connections.open(source);
                    found.add(new Ends(db, source, target, s, t, Catalog.columnShapes(t)));
                } catch (SQLException e) {
                    t.close();
                    if (s != null) {
                        s.close();
                    }
                    throw e;
                }
            }
            return found;
        } catch (SQLException | RuntimeException e) {
            found.forEach(Ends::close);
            throw new CompletionException(e);
        }
    }

    private List<RedisMoves.Moved> finalSyncs(List<RedisMoves.Addon> addons) {
        List<RedisMoves.Moved> moved = new ArrayList<>();
        try {
            for (RedisMoves.Addon addon : addons) {
                moved.add(redis.finalSync(addon));
            }
            return moved;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<RedisMoves.Moved> joinedMoves(CompletableFuture<List<RedisMoves.Moved>> moved) throws IOException {
        try {
            return moved.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static List<RedisMoves.Addon> joinedAddons(CompletableFuture<List<RedisMoves.Addon>> addons) {
        try {
            return addons.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static List<Ends> joined(CompletableFuture<List<Ends>> ends) throws SQLException {
        try {
            return ends.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Inside the freeze, with the source's writes fenced: refuses if its schema moved during the sync (logical replication
     * carries rows, not DDL), waits for the target to apply every change up to the source's WAL position after the fence,
     * sets the sequences and holds the target's state at this switch point for the full comparison after the release.
     * Nothing here reads the tables' rows: the freeze costs the same for 10 MB and for 10 GB.
     */
    private Synced finishReplication(SyncData c, Ends ends, boolean rollingBack) throws SQLException, RefusedException {
        String database = ends.db().name();
        String name = LiveReplication.name(c.migrationId(), database, rollingBack);
        Connection t = ends.targetConnection();
        long started = System.nanoTime();
        SwitchPointVerification.Point point = null;
        Connection s = ends.sourceConnection();
        try {
            List<Catalog.Table> tables = Catalog.tables(s);
            List<String> created = LiveReplication.unpublishedTables(s, name, tables);
            // Logical replication does not carry schema changes.
            String serving = rollingBack ? "the target keeps serving: bring the source's schema level by hand before rolling back"
                    : "the source keeps serving: abort and start the migration again";
            if (!created.isEmpty()) {
                throw new RefusedException(database + ": " + String.join(", ", created) + " created on "
                        + (rollingBack ? "the target since the switch-over" : "the source during the sync") + " and not replicated; " + serving);
            }
            Map<String, List<String>> here = Catalog.columnShapes(s);
            for (Catalog.Table table : tables) {
                List<String> there = ends.targetShapes().get(table.qualified());
                if (!here.get(table.qualified()).equals(there)) {
                    throw new RefusedException(database + ": " + table.qualified() + " was altered on "
                            + (rollingBack ? "the target since the switch-over" : "the source during the sync") + " (columns "
                            + here.get(table.qualified()) + " there, " + there + " on the other side) and not replicated; " + serving);
                }
            }
            long checked = System.nanoTime();
            long caughtUp = LiveReplication.catchUp(s, name, catchUpTimeout);
            SnapshotCopy.copySequences(s, t);
            long wayBack = 0;
            if (c.wayBack()) {
                // Before the target takes a write: from here on, whatever it takes flows back to the source. Made ready by the
                // catch-up step, unless that was not done (an older orchestrator's command).
                long starting = System.nanoTime();
                LiveReplication.prepareWayBack(t, LiveReplication.name(c.migrationId(), database, true), tables);
                wayBack = (System.nanoTime() - starting) / 1_000_000;
            }
            point = SwitchPointVerification.hold(database, tables, ends.source(), ends.target(), s, t);
            LOG.infof("migration %s: final sync of %s: schema %d ms, catch-up %d ms, way back %d ms, sequences and switch point %d ms",
                    c.migrationId(), database, (checked - started) / 1_000_000, caughtUp, wayBack,
                    (System.nanoTime() - checked) / 1_000_000 - caughtUp - wayBack);
            return new Synced(database, List.of(), List.of(), database + ": schema checked in " + (checked - started) / 1_000_000
                    + " ms, caught up to the fenced " + (rollingBack ? "target" : "source") + " in " + caughtUp + " ms, "
                    + (c.wayBack() ? "the way back started in " + wayBack + " ms, " : "")
                    + "sequences set and switch point held in " + (System.nanoTime() - checked) / 1_000_000
                    + " ms in all; every row is compared after the release", point);
        } finally {
            if (point == null) {
                ends.close();
            }
        }
    }

    /** Runs {@code work} for every database at once. */
    private static <T> List<Synced> each(List<T> databases, DatabaseWork<T> work) throws SQLException, RefusedException {
        if (databases.size() == 1) {
            return List.of(work.run(databases.get(0)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, databases.size()));
        try {
            List<Future<Synced>> running = new ArrayList<>();
            for (T db : databases) {
                running.add(pool.submit(() -> work.run(db)));
            }
            List<Synced> results = new ArrayList<>();
            for (Future<Synced> f : running) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RefusedException refused) {
                throw refused;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Samples the copy's throughput; one thread for every copy, each sample a short transaction of its own. */
    private static final ScheduledExecutorService SAMPLER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "copy-throughput");
        t.setDaemon(true);
        return t;
    });

    /** The bytes a database's copy has streamed so far, and its rate since it started. */
    private void copying(String trace, SyncData c, Step step, String database, LongAdder streamed, long startedNanos) {
        long bytes = streamed.sum();
        long millis = Math.max(1, (System.nanoTime() - startedNanos) / 1_000_000);
        TraceContext.continuing(trace, () -> QuarkusTransaction.requiringNew().run(() -> outbox.send(new StepProgressed(
                c.migrationId(), step, database + ": " + bytes + " bytes copied in " + millis + " ms (" + bytes * 1000 / millis + " bytes/s)",
                Map.of("copiedBytes", bytes), database))));
    }

    /** Progress from a worker thread: committed on its own, so the stream shows it while the copy goes on. */
    private void progress(String trace, SyncData c, Step step, String database, SnapshotCopy.TableCopied copied) {
        TraceContext.continuing(trace, () -> QuarkusTransaction.requiringNew().run(() -> outbox.send(new StepProgressed(
                c.migrationId(), step, database + "." + copied.table() + ": " + copied.rows() + " rows copied",
                Map.of("rows", copied.rows(), "bytes", copied.bytes()), database))));
    }

    /** The way back, started inside the freeze: its source subscribes once the forward replication is gone (ReplicationMonitor). */
    private static void wayBackStarted(SyncData c, String database, String trace) {
        Replication.record(c, database, "postgresql", true, false, trace);
    }

    /** Records the replication and reports its lag at once, so the freeze can be predicted before the first timer report. */
    private void startedReplication(SyncData c, Synced synced, String trace) {
        monitor.measure(Replication.record(c, synced.database(), "postgresql", false, true, trace));
    }

    /**
     * Before the confirmation the source keeps changing, so what is verified is the copy against the snapshot it was
     * taken from, compared chunk by chunk when the copy ended; and that the target environment runs.
     */
    public void on(VerifyTarget c) {
        outbox.send(new StepStarted(c.migrationId(), Step.VERIFY));
        try {
            Environment target = platform.environment(c.targetEnvironment())
                    .orElseThrow(() -> new PlatformException(404, "target " + c.targetEnvironment() + " does not exist"));
            if (!target.running()) {
                outbox.send(new VerificationFailed(c.migrationId(), List.of(), "target " + target.name() + " is " + target.status()));
                return;
            }
            List<TableComparison> tables = CopiedTable.<CopiedTable>list("migrationId", c.migrationId()).stream()
                    .map(t -> new TableComparison(t.database, t.tableName, t.sourceRows, t.targetRows, t.difference == null, t.difference))
                    .toList();
            List<String> differing = describe(tables);
            outbox.send(differing.isEmpty()
                    ? new TargetVerified(c.migrationId(), tables)
                    : new VerificationFailed(c.migrationId(), tables, "tables differ: " + String.join("; ", differing)));
        } catch (PlatformException e) {
            outbox.send(new VerificationFailed(c.migrationId(), List.of(), "verification could not run: " + e.getMessage()));
        }
    }

    /**
     * Ends every replication, either way (no slot or publication may stay on either side: an orphaned slot fills its
     * server's disk), and empties the target's copy. Subscriptions go first, so nothing reconnects to a slot being dropped.
     */
    public void on(UndoSyncData c) {
        // After a rollback, the target is compared with the source at its switch point before anything of it goes.
        switchPointVerification.awaitVerified(c.migrationId(), Duration.ofMinutes(10));
        ReplicationMonitor.excludeRounds();
        try {
            boolean targetExists = platform.environment(c.targetEnvironment()).isPresent();
            for (Environment.Database db : databases(c.environment())) {
                String forward = LiveReplication.name(c.migrationId(), db.name(), false);
                String back = LiveReplication.name(c.migrationId(), db.name(), true);
                try (Connection source = Connections.open(platform.credentials(c.environment(), db.name()))) {
                    LiveReplication.dropSubscription(source, back);
                    if (targetExists) {
                        try (Connection target = Connections.open(platform.credentials(c.targetEnvironment(), db.name()))) {
                            LiveReplication.dropSubscription(target, forward);
                            LiveReplication.dropSlotAndPublication(target, back);
                            SnapshotCopy.truncate(target);
                        }
                    }
                    LiveReplication.dropSlotAndPublication(source, forward);
                }
            }
            for (Environment.Database db : redisDatabases(c.environment())) {
                redis.undo(c.environment(), c.targetEnvironment(), db, targetExists);
            }
            Replication.delete("migrationId", c.migrationId());
            outbox.send(new DataSyncCompensated(c.migrationId()));
        } catch (SQLException | PlatformException e) {
            outbox.send(new CompensationFailed(c.migrationId(), Step.SYNC, "undoing the data sync failed: " + Connections.reason(e)));
        } catch (IOException e) {
            outbox.send(new CompensationFailed(c.migrationId(), Step.SYNC, "undoing the Redis sync failed: " + e.getMessage()));
        }
    }

    public void on(PauseReplication c) {
        List<String> left = replicate(c.migrationId(), false);
        outbox.send(new ReplicationPaused(c.migrationId(), left.isEmpty(), left.isEmpty()
                ? "paused: the targets apply nothing; the sources' slots keep every change"
                : "not paused, still replicating: " + String.join("; ", left)));
    }

    public void on(ResumeReplication c) {
        List<String> left = replicate(c.migrationId(), true);
        outbox.send(new ReplicationResumed(c.migrationId(), left.isEmpty(), left.isEmpty()
                ? "resumed: the targets catch up from where they stopped"
                : "not resumed, still paused: " + String.join("; ", left) + " (cutover resume tries again)"));
    }

    /** Enables or disables the apply of every forward replication of the migration; returns the databases it could not. */
    private List<String> replicate(UUID migrationId, boolean enabled) {
        List<String> left = new ArrayList<>();
        // A Redis replica keeps following: it applies in memory, and nothing on the source holds back for it.
        for (Replication r : Replication.<Replication>list("migrationId = ?1 and reverse = false and kind = 'postgresql'", migrationId)) {
            try (Connection target = Connections.open(platform.credentials(r.targetEnvironment, r.database))) {
                LiveReplication.setEnabled(target, r.name(), enabled);
            } catch (SQLException | PlatformException e) {
                left.add(r.database + " (" + Connections.reason(e) + ")");
            }
        }
        return left;
    }

    /**
     * The end of the rollback window: the way back's subscription, slot and publication are removed from both sides. What
     * can't be removed now is left to the replication monitor, which retries, and the event says so.
     */
    public void on(EndWayBack c) {
        ReplicationMonitor.excludeRounds();
        List<String> left = new ArrayList<>();
        for (Environment.Database db : databases(c.environment())) {
            String back = LiveReplication.name(c.migrationId(), db.name(), true);
            try {
                try (Connection source = Connections.open(platform.credentials(c.environment(), db.name()))) {
                    LiveReplication.dropSubscription(source, back);
                }
                try (Connection target = Connections.open(platform.credentials(c.targetEnvironment(), db.name()))) {
                    LiveReplication.dropSlotAndPublication(target, back);
                }
                Replication.delete("migrationId = ?1 and database = ?2 and reverse = true", c.migrationId(), db.name());
            } catch (SQLException | PlatformException e) {
                left.add(db.name() + " (" + Connections.reason(e) + ")");
                Replication.update("ending = true where migrationId = ?1 and database = ?2 and reverse = true", c.migrationId(), db.name());
            }
        }
        for (Environment.Database db : redisDatabases(c.environment())) {
            try {
                redis.endWayBack(c.migrationId(), c.environment(), db);
            } catch (IOException | PlatformException e) {
                left.add(db.name() + " (" + e.getMessage() + ")");
            }
        }
        outbox.send(left.isEmpty()
                ? new WayBackEnded(c.migrationId(), true, "the way back is removed: no slot, publication or subscription of it is"
                        + " left on either side")
                : new WayBackEnded(c.migrationId(), false, "the way back of " + String.join(", ", left)
                        + " is not removed yet; data-sync retries at every lag report"));
    }

    private static void remember(SyncData c, TableComparison t) {
        CopiedTable row = new CopiedTable();
        row.migrationId = c.migrationId();
        row.database = t.database();
        row.tableName = t.table();
        row.sourceRows = t.sourceRows();
        row.targetRows = t.targetRows();
        row.difference = t.matches() ? null : t.difference();
        row.persist();
    }

    private static List<String> describe(List<TableComparison> tables) {
        return tables.stream().filter(t -> !t.matches())
                .map(t -> t.database() + "." + t.table() + " " + t.difference())
                .toList();
    }

    private List<Environment.Database> databases(String environment) {
        return addons(environment, "postgresql");
    }

    private List<Environment.Database> redisDatabases(String environment) {
        return addons(environment, "redis");
    }

    private List<Environment.Database> addons(String environment, String kind) {
        return platform.environment(environment)
                .orElseThrow(() -> new PlatformException(404, "environment " + environment + " does not exist"))
                .databases().stream().filter(d -> kind.equals(d.kind())).toList();
    }
}
