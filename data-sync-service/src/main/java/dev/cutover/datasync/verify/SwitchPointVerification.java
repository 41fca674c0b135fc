package dev.cutover.datasync.verify;

import dev.cutover.contracts.datasync.SwitchPointVerified;
import dev.cutover.contracts.datasync.TableComparison;
import dev.cutover.datasync.copy.Catalog;
import dev.cutover.datasync.copy.Connections;
import dev.cutover.datasync.copy.Workers;
import dev.cutover.kit.outbox.Outbox;
import dev.cutover.kit.log.LogContext;
import dev.cutover.kit.trace.TraceContext;
import dev.cutover.kit.tx.AfterCompletion;
import dev.cutover.platform.DatabaseCredentials;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What proves a live switch-over, without making the freeze pay for it. Inside the freeze both sides' state at the
 * switch point is held (a snapshot exported in a transaction kept open on each); once the final sync has committed, and
 * the traffic is released, every row of the one is compared with the other, chunk by chunk, and the outcome goes out as
 * {@link SwitchPointVerified}. The fenced source needs its snapshot too: the way back replays the target's later writes
 * into it. A restart of this service in between loses the held snapshots, and the outcome then says the proof could
 * not be made.
 */
@ApplicationScoped
public class SwitchPointVerification {

    private static final Logger LOG = Logger.getLogger(SwitchPointVerification.class);
    /** Once the final sync has committed, the rest of a freeze takes a few hops, well under this. */
    private static final long START_DELAY_MILLIS = 1_000;

    /** One database's two sides held at the switch point, each by a connection with its exported snapshot. */
    public record Point(String database, List<Catalog.Table> tables, DatabaseCredentials source, DatabaseCredentials target,
                        Connection sourceHolder, String sourceSnapshot, Connection holder, String snapshot) {
    }

    @Inject
    Outbox outbox;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @ConfigProperty(name = "cutover.data-sync.chunk-rows")
    long chunkRows;

    /** The comparisons scheduled or running, by migration: a rollback removes the side compared only once its proof is made. */
    private final Map<UUID, Future<?>> pending = new ConcurrentHashMap<>();

    // One comparison at a time, on one connection a side: it runs while the released traffic is served.
    private final ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "switch-point-verification");
        t.setDaemon(true);
        return t;
    });

    /**
     * Holds both sides' state as it is now: on {@code sourceHolder} and {@code holder}, connections to the source and the
     * target that the point then owns, a repeatable-read transaction each that exports its snapshot and stays open.
     */
    public static Point hold(String database, List<Catalog.Table> tables, DatabaseCredentials source, DatabaseCredentials target,
                             Connection sourceHolder, Connection holder) throws SQLException {
        try {
            return new Point(database, tables, source, target, sourceHolder, export(sourceHolder), holder, export(holder));
        } catch (SQLException e) {
            sourceHolder.close();
            holder.close();
            throw e;
        }
    }

    private static String export(Connection c) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_export_snapshot()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Compares the points once the current transaction has committed; a rolled-back one only lets them go. */
    public void afterCommit(UUID migrationId, List<Point> points, String traceparent) {
        // After the release: started at once, it would take CPU and I/O from the last hops of the freeze.
        AfterCompletion.register(transactions,
                () -> pending.put(migrationId, runner.schedule(() -> LogContext.withMigration(migrationId,
                                () -> TraceContext.within(traceparent, "verify switch point", () -> verify(migrationId, points))), START_DELAY_MILLIS,
                        TimeUnit.MILLISECONDS)),
                () -> close(points));
    }

    /** Waits (up to {@code max}) for the migration's comparison, if one is scheduled or running in this process. */
    public void awaitVerified(UUID migrationId, Duration max) {
        Future<?> comparison = pending.get(migrationId);
        if (comparison == null) {
            return;
        }
        try {
            comparison.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            LOG.warnf("migration %s: the switch point comparison did not end in time: %s", migrationId, e.toString());
        }
    }

    public static void close(List<Point> points) {
        for (Point p : points) {
            for (Connection c : List.of(p.sourceHolder(), p.holder())) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // letting go of a snapshot nobody will read
                }
            }
        }
    }

    private void verify(UUID migrationId, List<Point> points) {
        long started = System.nanoTime();
        List<TableComparison> tables = new ArrayList<>();
        String failure = null;
        try {
            for (Point p : points) {
                try (Workers workers = new Workers(1, () -> Connections.open(p.source()), () -> Connections.open(p.target()), p.sourceSnapshot(),
                        p.snapshot())) {
                    tables.addAll(Checksums.compare(p.database(), p.tables(), workers, chunkRows));
                }
            }
        } catch (SQLException | RuntimeException e) {
            failure = "the switch point could not be verified: " + Connections.reason(e);
        } finally {
            close(points);
            pending.remove(migrationId);
        }
        List<String> differing = tables.stream().filter(t -> !t.matches())
                .map(t -> t.database() + "." + t.table() + " " + t.difference()).toList();
        boolean matches = failure == null && differing.isEmpty();
        long rows = tables.stream().mapToLong(TableComparison::targetRows).sum();
        String detail = failure != null ? failure : matches
                ? tables.size() + " tables, " + rows + " rows equal on both sides at the switch point (compared in "
                        + (System.nanoTime() - started) / 1_000_000 + " ms after the release)"
                : "at the switch point the target differs from the source: " + String.join("; ", differing);
        if (!matches) {
            LOG.warnf("migration %s: %s", migrationId, detail);
        }
        QuarkusTransaction.requiringNew().run(() -> outbox.send(new SwitchPointVerified(migrationId, matches, tables, detail)));
    }

    void stop(@Observes ShutdownEvent ignored) {
        runner.shutdownNow();
    }
}
