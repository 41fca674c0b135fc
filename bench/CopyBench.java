import dev.cutover.contracts.datasync.TableComparison;
import dev.cutover.datasync.copy.Catalog;
import dev.cutover.datasync.copy.Connections;
import dev.cutover.datasync.copy.SnapshotCopy;
import dev.cutover.datasync.copy.Workers;
import dev.cutover.datasync.replication.LiveReplication;
import dev.cutover.datasync.verify.Checksums;
import dev.cutover.platform.DatabaseCredentials;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Benchmark driver for issue 5: calls the data-sync-service's own JDBC code (no Quarkus, no Kafka) in exactly the order
 * {@code DataSync.copy} and {@code DataSync.finishReplication} call it (and {@code ReplicationMonitor.end} after the
 * freeze), and times the parts. It copies their sequence: when those change, this file must follow.
 *
 * <pre>
 * java -cp CLASSES bench/CopyBench.java snapshot --source HOST:PORT/DB --target HOST:PORT/DB [--jobs 4] [--chunk 100000]
 * java -cp CLASSES bench/CopyBench.java live --source ... --target ... [--jobs 4] [--chunk 100000]
 *      [--pgbench /usr/lib/postgresql/15/bin/pgbench] [--clients 4] [--seconds 30] [--rate 200] [--sample-ms 500]
 * </pre>
 *
 * Both sides are reached as {@code --user} (default postgres) with {@code --password} (default "bench"; the benchmark's
 * servers trust local connections). Times are measured inside the JVM: the JVM's start and the compilation of this file
 * are not counted (the service is a long-running process).
 */
public class CopyBench {

    /** data-sync's default cutover.data-sync.split-tables-larger-than (256M), or -Dsplit=BYTES. */
    static final long SPLIT_BYTES = Long.getLong("split", 256L * 1024 * 1024);

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: CopyBench snapshot|live --source HOST:PORT/DB --target HOST:PORT/DB [options]");
        }
        Map<String, String> o = options(args);
        DatabaseCredentials source = credentials(o.get("source"), o);
        DatabaseCredentials target = credentials(o.get("target"), o);
        int jobs = Integer.parseInt(o.getOrDefault("jobs", "4"));
        long chunk = Long.parseLong(o.getOrDefault("chunk", "100000"));
        switch (args[0]) {
            case "snapshot" -> snapshot(source, target, jobs, chunk);
            case "live" -> live(source, target, jobs, chunk, o);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    /** {@code DataSync.copy} with {@code live = false}: an exported snapshot, the parallel copy, then the checksums. */
    static void snapshot(DatabaseCredentials source, DatabaseCredentials target, int jobs, long chunk) throws SQLException {
        long started = System.nanoTime();
        try (Connection meta = Connections.open(source)) {
            List<Catalog.Table> tables = Catalog.tables(meta);
            meta.setAutoCommit(false);
            meta.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            String snapshot;
            try (Statement s = meta.createStatement(); ResultSet rs = s.executeQuery("select pg_export_snapshot()")) {
                rs.next();
                snapshot = rs.getString(1);
            }
            SnapshotCopy.Result copied;
            List<TableComparison> compared;
            long copiedAt;
            Phases phases = new Phases(target, started);
            try (Workers workers = new Workers(jobs, () -> Connections.open(source), () -> Connections.open(target), snapshot, null)) {
                copied = SnapshotCopy.copy(workers, tables, SPLIT_BYTES, one -> System.out.printf("  copied %s: %,d rows, %,d bytes (%.1f s)%n",
                        one.table(), one.rows(), one.bytes(), seconds(started)), new java.util.concurrent.atomic.LongAdder());
                copiedAt = System.nanoTime();
                phases.stop();
                compared = Checksums.compare("bench", tables, workers, chunk);
            }
            long done = System.nanoTime();
            report(compared);
            System.out.println("  where the copy's time went, from the target's pg_stat_activity every 100 ms: " + phases);
            System.out.printf("snapshot jobs=%d: %d tables, %,d rows, %,d bytes of COPY data%n", jobs, tables.size(), copied.rows(), copied.bytes());
            System.out.printf("RESULT copy_s=%.2f verify_s=%.2f total_s=%.2f matches=%s%n", (copiedAt - started) / 1e9,
                    (done - copiedAt) / 1e9, (done - started) / 1e9, allMatch(compared));
        }
    }

    /**
     * {@code DataSync.copy} with {@code live = true}, then a steady pgbench load on the source while the lag is sampled,
     * then, with the source still, {@code DataSync.finishReplication} part by part, then the replication's removal that
     * {@code ReplicationMonitor.end} does after the freeze.
     */
    static void live(DatabaseCredentials source, DatabaseCredentials target, int jobs, long chunk, Map<String, String> o) throws Exception {
        String name = LiveReplication.name(UUID.randomUUID(), "bench", false);

        // --- the sync step: DataSync.copy(live = true)
        long started = System.nanoTime();
        long copiedAt;
        List<TableComparison> firstCompare;
        try (Connection meta = Connections.open(source)) {
            List<Catalog.Table> tables = Catalog.tables(meta);
            try (Connection t = Connections.open(target)) {
                LiveReplication.dropSubscription(t, name);
            }
            LiveReplication.dropSlotAndPublication(meta, name);
            LiveReplication.publish(meta, name, tables);
            Connection exporter = Connections.replication(source);
            String snapshot = LiveReplication.createSlot(exporter, name);
            try (Workers workers = new Workers(jobs, () -> Connections.open(source), () -> Connections.open(target), snapshot, null)) {
                exporter.close();
                exporter = null;
                SnapshotCopy.Result copied = SnapshotCopy.copy(workers, tables, SPLIT_BYTES, one -> { }, new java.util.concurrent.atomic.LongAdder());
                copiedAt = System.nanoTime();
                System.out.printf("initial copy: %d tables, %,d rows in %.2f s%n", tables.size(), copied.rows(), seconds(started));
                firstCompare = Checksums.compare("bench", tables, workers, chunk);
            } finally {
                if (exporter != null) {
                    exporter.close();
                }
            }
            try (Connection t = Connections.open(target)) {
                LiveReplication.subscribe(t, name, LiveReplication.connInfo(source.jdbcUrl(), source.user(), source.password()));
            }
        }
        long subscribedAt = System.nanoTime();
        System.out.printf("verified the initial copy in %.2f s (all match: %s); subscribed; sync step %.2f s in all%n",
                (subscribedAt - copiedAt) / 1e9 , allMatch(firstCompare), (subscribedAt - started) / 1e9);

        // --- steady load on the source while the target replicates; sample the lag
        List<String> command = List.of(o.getOrDefault("pgbench", "pgbench"), "-n", "-h", source.host(), "-p", String.valueOf(source.port()),
                "-U", source.user(), "-c", o.getOrDefault("clients", "4"), "-j", "2", "-T", o.getOrDefault("seconds", "30"),
                "-R", o.getOrDefault("rate", "200"), source.database());
        System.out.println("load: " + String.join(" ", command));
        long sampleMillis = Long.parseLong(o.getOrDefault("sample-ms", "500"));
        List<Long> lagBytes = new ArrayList<>();
        List<Long> lagMillis = new ArrayList<>();
        List<Long> newestRowAge = new ArrayList<>();
        Process pgbench = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder pgbenchOutput = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(pgbench.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    pgbenchOutput.append(line).append('\n');
                }
            } catch (Exception ignored) {
                // the output is only printed
            }
        });
        reader.start();
        boolean history;
        try (Connection s = Connections.open(source); Connection t = Connections.open(target)) {
            history = Catalog.exists(t, "public.pgbench_history");
            Thread.sleep(sampleMillis);
            long next = System.nanoTime();
            while (pgbench.isAlive()) {
                LiveReplication.Lag lag = LiveReplication.lag(s, name);
                lagBytes.add(lag.lagBytes());
                lagMillis.add(lag.lagMillis());
                if (history) {
                    // End to end, independent of the slot's bookkeeping: how old the newest row pgbench wrote is on the target.
                    try (Statement st = t.createStatement(); ResultSet rs = st.executeQuery(
                            "select (extract(epoch from clock_timestamp() - max(mtime)) * 1000)::bigint from pgbench_history")) {
                        rs.next();
                        long age = rs.getLong(1);
                        if (!rs.wasNull()) {
                            newestRowAge.add(age);
                        }
                    }
                }
                next += sampleMillis * 1_000_000;
                long wait = (next - System.nanoTime()) / 1_000_000;
                if (wait > 0) {
                    pgbench.waitFor(wait, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            }
        }
        int exit = pgbench.waitFor();
        reader.join();
        System.out.print(pgbenchOutput.toString().lines().filter(l -> l.startsWith("number of transactions actually processed")
                || l.startsWith("latency average") || l.startsWith("tps") || l.startsWith("rate limit schedule lag")
                || l.contains("error") || l.contains("FATAL")).map(l -> "  pgbench: " + l + "\n").reduce("", String::concat));
        if (exit != 0) {
            System.out.print(pgbenchOutput);
            throw new IllegalStateException("pgbench exited with " + exit);
        }
        System.out.printf("lag over %d samples every %d ms: bytes p50 %,d max %,d; ms (pg_stat_replication.replay_lag) p50 %d max %d%n",
                lagBytes.size(), sampleMillis, pct(lagBytes, 50), pct(lagBytes, 100), pct(lagMillis, 50), pct(lagMillis, 100));
        if (!newestRowAge.isEmpty()) {
            System.out.printf("age of the newest pgbench_history row on the target (end-to-end, includes the ~%d ms between commits): p50 %d ms, max %d ms%n",
                    1000 / Integer.parseInt(o.getOrDefault("rate", "200")), pct(newestRowAge, 50), pct(newestRowAge, 100));
        }

        // --- the freeze: the source is still; DataSync.finishReplication, part by part
        long freezeStarted = System.nanoTime();
        long opened;
        long schemaChecked;
        long caughtUp;
        long catchUpReported;
        long sequencesSet;
        long verified;
        List<TableComparison> compared;
        try (Connection s = Connections.open(source); Connection t = Connections.open(target)) {
            opened = System.nanoTime();
            List<Catalog.Table> tables = Catalog.tables(s);
            List<String> created = LiveReplication.unpublishedTables(s, name, tables);
            if (!created.isEmpty()) {
                throw new IllegalStateException("created during the sync: " + created);
            }
            Map<String, List<String>> here = Catalog.columnShapes(s);
            Map<String, List<String>> there = Catalog.columnShapes(t);
            for (Catalog.Table table : tables) {
                if (!here.get(table.qualified()).equals(there.get(table.qualified()))) {
                    throw new IllegalStateException(table.qualified() + " was altered during the sync");
                }
            }
            schemaChecked = System.nanoTime();
            catchUpReported = LiveReplication.catchUp(s, name, Duration.ofSeconds(5));
            caughtUp = System.nanoTime();
            SnapshotCopy.copySequences(s, t);
            sequencesSet = System.nanoTime();
            int verifiers = Math.max(1, Math.min(jobs, tables.size()));
            try (Workers workers = new Workers(verifiers, () -> Connections.open(source), () -> Connections.open(target), null, null)) {
                compared = Checksums.compare("bench", tables, workers, chunk);
            }
            verified = System.nanoTime();
        }
        long frozen = System.nanoTime();
        // After the freeze, as ReplicationMonitor.end does: the subscription, then the slot and the publication.
        try (Connection t = Connections.open(target)) {
            LiveReplication.dropSubscription(t, name);
        }
        try (Connection s = Connections.open(source)) {
            LiveReplication.dropSlotAndPublication(s, name);
        }
        long ended = System.nanoTime();
        report(compared);
        long withoutChecksums = ms(opened - freezeStarted) + ms(schemaChecked - opened) + ms(caughtUp - schemaChecked)
                + ms(sequencesSet - caughtUp) + ms(frozen - verified);
        System.out.printf("freeze (finishReplication): connect %d ms, schema check %d ms, catch-up %d ms (catchUp says %d),"
                        + " sequences %d ms, checksums %d ms; total %d ms, %d ms without the checksums%n",
                ms(opened - freezeStarted), ms(schemaChecked - opened), ms(caughtUp - schemaChecked), catchUpReported,
                ms(sequencesSet - caughtUp), ms(verified - sequencesSet), ms(frozen - freezeStarted), withoutChecksums);
        System.out.printf("after the freeze: subscription, slot and publication removed in %d ms%n", ms(ended - frozen));
        System.out.printf("RESULT lag_bytes_p50=%d lag_bytes_max=%d lag_ms_p50=%d lag_ms_max=%d row_age_ms_p50=%d row_age_ms_max=%d"
                        + " freeze_catchup_ms=%d freeze_sequences_ms=%d freeze_checksums_ms=%d freeze_without_checksums_ms=%d"
                        + " freeze_total_ms=%d end_replication_ms=%d matches=%s%n",
                pct(lagBytes, 50), pct(lagBytes, 100), pct(lagMillis, 50), pct(lagMillis, 100), pct(newestRowAge, 50), pct(newestRowAge, 100),
                ms(caughtUp - schemaChecked), ms(sequencesSet - caughtUp), ms(verified - sequencesSet), withoutChecksums,
                ms(frozen - freezeStarted), ms(ended - frozen), allMatch(compared));
    }

    /**
     * Watches what the target runs (its pg_stat_activity, every 100 ms, on a connection of its own), to tell apart the
     * phases of SnapshotCopy.copy, which is one call: COPY, keys and indexes, foreign keys.
     */
    static final class Phases {
        private final Map<String, long[]> seen = new java.util.LinkedHashMap<>();
        private final long started;
        private final Thread thread;
        private volatile boolean running = true;

        Phases(DatabaseCredentials target, long started) {
            this.started = started;
            thread = new Thread(() -> {
                try (Connection c = Connections.open(target); Statement s = c.createStatement()) {
                    while (running) {
                        try (ResultSet rs = s.executeQuery("select lower(query) from pg_stat_activity where state = 'active'"
                                + " and pid <> pg_backend_pid() and datname = current_database()")) {
                            long at = System.nanoTime() - started;
                            while (rs.next()) {
                                String q = rs.getString(1);
                                String phase = q.startsWith("copy ") ? "COPY"
                                        : q.contains("foreign key") ? "foreign keys"
                                        : q.startsWith("create index") || q.startsWith("create unique index") || q.contains("primary key")
                                                || q.contains(" unique") ? "keys and indexes" : null;
                                if (phase != null) {
                                    synchronized (seen) {
                                        long[] span = seen.computeIfAbsent(phase, p -> new long[] {at, at});
                                        span[1] = at;
                                    }
                                }
                            }
                        }
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    System.out.println("  (phases not watched: " + e + ")");
                }
            }, "phases");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws SQLException {
            running = false;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String toString() {
            synchronized (seen) {
                return String.join(", ", seen.entrySet().stream().map(e -> String.format("%s from %.1f s to %.1f s", e.getKey(),
                        e.getValue()[0] / 1e9, e.getValue()[1] / 1e9)).toList()) + " (after the start of the copy)";
            }
        }
    }

    private static void report(List<TableComparison> compared) {
        for (TableComparison c : compared) {
            System.out.printf("  %-36s source %,12d rows, target %,12d rows, %s%n", c.table(), c.sourceRows(), c.targetRows(),
                    c.matches() ? "checksums equal" : "DIFFERS: " + c.difference());
        }
    }

    private static boolean allMatch(List<TableComparison> compared) {
        return compared.stream().allMatch(c -> c.matches() && c.sourceRows() == c.targetRows());
    }

    private static long pct(List<Long> values, int percentile) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static DatabaseCredentials credentials(String spec, Map<String, String> o) {
        if (spec == null) {
            throw new IllegalArgumentException("--source and --target HOST:PORT/DB are required");
        }
        int colon = spec.indexOf(':');
        int slash = spec.indexOf('/');
        return new DatabaseCredentials(spec.substring(0, colon), Integer.parseInt(spec.substring(colon + 1, slash)),
                spec.substring(slash + 1), o.getOrDefault("user", "postgres"), o.getOrDefault("password", "bench"));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }
}
