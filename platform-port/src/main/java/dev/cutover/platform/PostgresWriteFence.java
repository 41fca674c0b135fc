package dev.cutover.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * A write fence on one PostgreSQL database, set by whoever administers its server (a platform adapter, over a superuser
 * connection). Fenced, every new session of the database starts read-only ({@code default_transaction_read_only}, for
 * every role), and every client session that began before is ended, so its open transaction rolls back: a writer that
 * bypasses the router (a worker, a cron job, psql) gets an error, never a write the migration misses. Replication
 * senders keep running, so the target still receives everything committed before the fence.
 * <p>
 * Chosen over revoking privileges because a table's owner keeps its rights whatever is revoked, and tables are often
 * owned by another role than the application's login; and over a lock, because a lock makes writers wait and write
 * after the switch-over, where nobody reads. What it doesn't stop: a superuser, or a session that sets
 * {@code transaction_read_only = off} itself on purpose, as the migration's own sessions do ({@link #MIGRATION_SESSIONS}).
 * <p>
 * The fence's start is kept on the database itself ({@code cutover.fenced_at}), so lifting it, even by another process
 * after a crash, also ends the sessions that began under it: they would otherwise stay read-only.
 */
public final class PostgresWriteFence {

    private static final long END_SESSIONS_TIMEOUT_MILLIS = 5_000;
    /**
     * The application name of the migration's own sessions (data-sync's), which the fence leaves alone: they set
     * themselves writable, and one may hold the switch point while the fence is lifted.
     */
    public static final String MIGRATION_SESSIONS = "cutover-data-sync";

    private PostgresWriteFence() {
    }

    /** Fences the database's writes; returns how many sessions were ended. Idempotent. */
    public static int fence(Connection admin, String database) throws SQLException {
        String existing = fencedAt(admin, database);
        // One round trip, one commit: inside the freeze, each costs the switch-over its time.
        try (Statement s = admin.createStatement()) {
            s.execute("alter database " + ident(database) + " set default_transaction_read_only = on"
                    + (existing != null ? "" : "; alter database " + ident(database) + " set cutover.fenced_at = " + literal(now(admin))));
        }
        // Committed (auto-commit): every session that starts from now on reads the read-only default. The bound is fixed,
        // so a client that reconnects at once is not chased: its new session is read-only.
        return endSessions(admin, database, "backend_start < " + literal(now(admin)) + "::timestamptz");
    }

    /** Lifts the fence: new sessions may write again, and those that began under the fence are ended. Idempotent. */
    public static int lift(Connection admin, String database) throws SQLException {
        String fencedAt = fencedAt(admin, database);
        if (fencedAt == null) {
            return 0;
        }
        try (Statement s = admin.createStatement()) {
            s.execute("alter database " + ident(database) + " reset default_transaction_read_only; alter database " + ident(database)
                    + " reset cutover.fenced_at");
        }
        return endSessions(admin, database, "backend_start >= " + literal(fencedAt) + "::timestamptz and backend_start < "
                + literal(now(admin)) + "::timestamptz");
    }

    /**
     * Ends the database's client sessions matching {@code which}, and waits until they are gone (their transactions rolled
     * back): each round asks every session still there to end, in one statement, so a round costs one round trip however
     * many writers there are.
     */
    private static int endSessions(Connection admin, String database, String which) throws SQLException {
        String sessions = "select pid, pg_terminate_backend(pid) from pg_stat_activity where datname = ? and backend_type = 'client backend'"
                + " and pid <> pg_backend_pid() and application_name <> " + literal(MIGRATION_SESSIONS) + " and " + which;
        long deadline = System.nanoTime() + END_SESSIONS_TIMEOUT_MILLIS * 1_000_000;
        Set<Integer> ended = new HashSet<>();
        while (true) {
            int left = 0;
            try (PreparedStatement q = admin.prepareStatement(sessions)) {
                q.setString(1, database);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        ended.add(rs.getInt(1));
                        left++;
                    }
                }
            }
            if (left == 0) {
                return ended.size();
            }
            if (System.nanoTime() > deadline) {
                throw new SQLException(left + " sessions of " + database + " did not end within "
                        + END_SESSIONS_TIMEOUT_MILLIS + " ms", "57014");
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted", e);
            }
        }
    }

    private static String now(Connection admin) throws SQLException {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("select clock_timestamp()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String fencedAt(Connection admin, String database) throws SQLException {
        try (PreparedStatement q = admin.prepareStatement("""
                select substr(c, length('cutover.fenced_at=') + 1)
                from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase, unnest(s.setconfig) c
                where d.datname = ? and s.setrole = 0 and c like 'cutover.fenced\\_at=%'""")) {
            q.setString(1, database);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
