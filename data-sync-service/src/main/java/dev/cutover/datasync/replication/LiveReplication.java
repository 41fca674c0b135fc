package dev.cutover.datasync.replication;

import dev.cutover.datasync.copy.Catalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * PostgreSQL's own logical replication between an environment's source database and its target copy: a publication of
 * the copied tables and a replication slot on the source, a subscription on the target that reads the slot. The slot is
 * created first and exports the snapshot the initial copy reads, so the subscription starts exactly where the copy ends:
 * nothing is missed and nothing applied twice. The target reaches the source over the network; where it can't, the
 * service would have to read the slot itself (the same slot and snapshot, applied over its own connections).
 */
public final class LiveReplication {

    /**
     * Replication lag and the WAL the slot holds back on the source; {@code confirmedBytes}: the subscriber's confirmed
     * position as a byte offset, so two readings tell how fast it applies.
     */
    public record Lag(long lagBytes, long lagMillis, long retainedWalBytes, long confirmedBytes) {
    }

    private LiveReplication() {
    }

    /**
     * Slot, publication and subscription share one name per migration, database and direction (slots are per server, and
     * one server may hold several of the environment's databases): PostgreSQL identifiers of 49 or 54 characters.
     */
    public static String name(UUID migrationId, String database, boolean reverse) {
        return (reverse ? "cutover_back_" : "cutover_") + migrationId.toString().replace("-", "") + "_"
                + String.format("%08x", database.hashCode());
    }

    /**
     * The way back, started at the switch point on the target (its writes not yet released): a publication of the copied
     * tables and a slot from which the source will replay every change the target takes from now on. The source's
     * subscription comes later, once the forward replication is gone; the slot keeps the target's WAL until then.
     */
    public static void startWayBack(Connection target, String name, List<Catalog.Table> tables) throws SQLException {
        dropSlotAndPublication(target, name);
        publish(target, name, tables);
        try (Statement s = target.createStatement()) {
            s.execute("select pg_create_logical_replication_slot(" + literal(name) + ", 'pgoutput')");
        }
    }

    /**
     * The way back of a live move, made ready before its freeze, or kept if it is: creating a slot waits for every
     * transaction open on the target's server (an autovacuum's ANALYZE of a table just copied held one for 1 s inside a
     * freeze). It may begin before the switch point: until then the target takes only the forward replication's changes,
     * and the way back's subscription takes only the target's own ({@link #subscribe}, {@code ownChangesOnly}).
     * Returns whether it made it now.
     */
    public static boolean prepareWayBack(Connection target, String name, List<Catalog.Table> tables) throws SQLException {
        try (PreparedStatement q = target.prepareStatement("select 1 from pg_replication_slots where slot_name = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        startWayBack(target, name, tables);
        return true;
    }

    /** The publication of exactly these tables: one created later is not in it, which the final sync reports. */
    public static void publish(Connection source, String name, List<Catalog.Table> tables) throws SQLException {
        try (Statement s = source.createStatement()) {
            s.execute("drop publication if exists " + Catalog.ident(name));
            s.execute(tables.isEmpty() ? "create publication " + Catalog.ident(name)
                    : "create publication " + Catalog.ident(name) + " for table "
                            + String.join(", ", tables.stream().map(Catalog.Table::qualified).toList()));
        }
    }

    /**
     * Creates the slot on a replication connection and returns the snapshot it exported. The snapshot can be imported
     * only while that connection stays open and idle, so the caller keeps it open until its copy has started.
     */
    public static String createSlot(Connection replication, String name) throws SQLException {
        try (Statement s = replication.createStatement();
             ResultSet rs = s.executeQuery("CREATE_REPLICATION_SLOT " + Catalog.ident(name) + " LOGICAL pgoutput EXPORT_SNAPSHOT")) {
            rs.next();
            return rs.getString("snapshot_name");
        }
    }

    /**
     * Subscribes the target to the slot. {@code synchronous_commit = on} so that what the source sees as applied is on
     * the target's disk: the switch-over waits for exactly that. A subscription of that name already there (a retried
     * attempt) is taken as done. {@code ownChangesOnly} (the way back): only what the publisher's own sessions wrote, not
     * what a subscription of its own applied there ({@code origin = none}), so nothing the forward replication brought
     * goes back.
     */
    public static void subscribe(Connection target, String name, String sourceConnInfo, boolean ownChangesOnly) throws SQLException {
        try (PreparedStatement q = target.prepareStatement("select 1 from pg_subscription where subname = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement s = target.createStatement()) {
            s.execute("create subscription " + Catalog.ident(name) + " connection " + literal(sourceConnInfo)
                    + " publication " + Catalog.ident(name)
                    + " with (create_slot = false, slot_name = " + literal(name) + ", copy_data = false, synchronous_commit = 'on'"
                    + (ownChangesOnly ? ", origin = none" : "") + ")");
        }
    }

    public static Lag lag(Connection source, String name) throws SQLException {
        try (PreparedStatement q = source.prepareStatement("""
                select coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn), 0)::bigint,
                       coalesce((extract(epoch from r.replay_lag) * 1000)::bigint, 0),
                       coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn), 0)::bigint,
                       coalesce(pg_wal_lsn_diff(s.confirmed_flush_lsn, '0/0'), 0)::bigint
                from pg_replication_slots s left join pg_stat_replication r on r.application_name = s.slot_name
                where s.slot_name = ?""")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("replication slot " + name + " is missing on the source", "55000");
                }
                return new Lag(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
        }
    }

    /**
     * Waits until the target has applied every change the source has written so far: the slot's confirmed position
     * (what the subscriber has applied and, with {@code synchronous_commit = on}, flushed) passes the source's WAL end. The source must be still (its
     * writes fenced). Returns the milliseconds it took; throws if {@code timeout} passes first.
     */
    public static long catchUp(Connection source, String name, Duration timeout) throws SQLException {
        long started = System.nanoTime();
        // With synchronous_commit off (a common setting) a transaction is committed, and seen, before its commit record
        // is flushed; the WAL sender sends only flushed WAL, and pg_current_wal_lsn() is the write position, which may be
        // short of that record. A transaction of our own that writes WAL (a logical message, which the subscription
        // ignores) and commits synchronously flushes everything before it. A transaction that wrote no WAL of its own
        // is not flushed at commit, even with an xid.
        boolean autoCommit = source.getAutoCommit();
        source.setAutoCommit(false);
        try (Statement s = source.createStatement()) {
            s.execute("set local synchronous_commit = on");
            s.execute("select pg_logical_emit_message(true, 'cutover', 'catch-up point')");
        }
        source.commit();
        source.setAutoCommit(autoCommit);
        String lsn;
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("select pg_current_wal_lsn()::text")) {
            rs.next();
            lsn = rs.getString(1);
        }
        try (PreparedStatement q = source.prepareStatement(
                "select coalesce(bool_and(confirmed_flush_lsn >= ?::pg_lsn), false) from pg_replication_slots where slot_name = ?")) {
            q.setString(1, lsn);
            q.setString(2, name);
            while (true) {
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return (System.nanoTime() - started) / 1_000_000;
                    }
                }
                if (System.nanoTime() - started > timeout.toNanos()) {
                    Lag lag = lag(source, name);
                    throw new SQLException("the target did not catch up within " + timeout.toMillis() + " ms (" + lag.lagBytes()
                            + " bytes behind)", "57014");
                }
                pause(5);
            }
        }
    }

    /** Tables on the source that the publication does not carry: created during the sync. */
    public static List<String> unpublishedTables(Connection source, String name, List<Catalog.Table> tables) throws SQLException {
        List<String> published = new ArrayList<>();
        try (PreparedStatement q = source.prepareStatement(
                "select schemaname, tablename from pg_publication_tables where pubname = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    published.add(Catalog.ident(rs.getString(1)) + "." + Catalog.ident(rs.getString(2)));
                }
            }
        }
        return tables.stream().map(Catalog.Table::qualified).filter(t -> !published.contains(t)).toList();
    }

    /** Stops (a pause) or restarts the target's apply of the subscription; its slot on the source keeps every change meanwhile. */
    public static void setEnabled(Connection target, String name, boolean enabled) throws SQLException {
        try (Statement s = target.createStatement()) {
            s.execute("alter subscription " + Catalog.ident(name) + (enabled ? " enable" : " disable"));
        }
    }

    /**
     * Removes the subscription from the target without it reaching for the slot (that is dropped on the source). Skipped
     * if already gone, so it serves both the end of a sync and a compensation.
     */
    public static void dropSubscription(Connection target, String name) throws SQLException {
        try (PreparedStatement q = target.prepareStatement("select 1 from pg_subscription where subname = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
            }
        }
        try (Statement s = target.createStatement()) {
            s.execute("alter subscription " + Catalog.ident(name) + " disable");
            s.execute("alter subscription " + Catalog.ident(name) + " set (slot_name = none)");
            s.execute("drop subscription " + Catalog.ident(name));
        }
    }

    /** Drops the slot (ending the walsender still holding it) and the publication; an orphaned slot fills a source's disk. */
    public static void dropSlotAndPublication(Connection source, String name) throws SQLException {
        try (Statement s = source.createStatement()) {
            for (int attempt = 0; ; attempt++) {
                if (attempt == 100) {
                    throw new SQLException("replication slot " + name + " stays in use on the source", "55006");
                }
                try (PreparedStatement q = source.prepareStatement(
                        "select active_pid from pg_replication_slots where slot_name = ?")) {
                    q.setString(1, name);
                    try (ResultSet rs = q.executeQuery()) {
                        if (!rs.next()) {
                            break;
                        }
                        int pid = rs.getInt(1);
                        if (rs.wasNull()) {
                            s.execute("select pg_drop_replication_slot(" + literal(name) + ")");
                            break;
                        }
                        if (attempt > 0) {
                            s.execute("select pg_terminate_backend(" + pid + ")");
                        }
                    }
                }
                pause(50);
            }
            s.execute("drop publication if exists " + Catalog.ident(name));
        }
    }

    /** A libpq connection string for the source, as the target's subscription uses it. */
    public static String connInfo(String jdbcUrl, String user, String password) {
        String rest = jdbcUrl.substring("jdbc:postgresql://".length());
        int slash = rest.indexOf('/');
        String hostPort = rest.substring(0, slash);
        String database = rest.substring(slash + 1).split("\\?")[0];
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        String port = colon < 0 ? "5432" : hostPort.substring(colon + 1);
        return "host=" + value(host) + " port=" + value(port) + " dbname=" + value(database) + " user=" + value(user)
                + " password=" + value(password);
    }

    private static String value(String v) {
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String literal(String v) {
        return "'" + v.replace("'", "''") + "'";
    }

    private static void pause(long millis) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        }
    }
}
