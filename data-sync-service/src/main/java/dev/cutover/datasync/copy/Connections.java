package dev.cutover.datasync.copy;

import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.PostgresWriteFence;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Connections to an environment's database with the platform's credentials, which are never logged or sent. */
public final class Connections {

    private Connections() {
    }

    public static Connection open(DatabaseCredentials credentials) throws SQLException {
        return DriverManager.getConnection(credentials.jdbcUrl(), properties(credentials));
    }

    /** A logical replication connection: it runs replication commands such as {@code CREATE_REPLICATION_SLOT}. */
    public static Connection replication(DatabaseCredentials credentials) throws SQLException {
        Properties props = properties(credentials);
        props.setProperty("replication", "database");
        props.setProperty("preferQueryMode", "simple");
        return DriverManager.getConnection(credentials.jdbcUrl(), props);
    }

    /** A reason without the connection details a driver message may carry. */
    public static String reason(Exception e) {
        if (e instanceof SQLException sql) {
            String message = sql.getMessage() == null ? "" : sql.getMessage().lines().findFirst().orElse("");
            return "database error " + sql.getSQLState() + ": " + message;
        }
        return e.getMessage();
    }

    private static Properties properties(DatabaseCredentials credentials) {
        Properties props = new Properties();
        props.setProperty("user", credentials.user());
        props.setProperty("password", credentials.password());
        props.setProperty("connectTimeout", "5");
        props.setProperty("ApplicationName", PostgresWriteFence.MIGRATION_SESSIONS);
        // The name in the startup packet, not in a SET after it: a session opened while the fence goes up must carry its
        // name from its first moment, or the fence takes it for a writer and ends it.
        props.setProperty("assumeMinServerVersion", "10");
        // Both sides print values alike, so that row checksums compare content rather than server settings. Cutover's own
        // sessions are exempt from the write fence it sets (they remove and start replications on fenced databases, and
        // set the sequences of a fenced source during a rollback).
        props.setProperty("options", "-c IntervalStyle=postgres -c bytea_output=hex -c default_transaction_read_only=off");
        return props;
    }
}
