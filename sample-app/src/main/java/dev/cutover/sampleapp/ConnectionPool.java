package dev.cutover.sampleapp;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.postgresql.Driver;

/**
 * A fixed number of connection slots in a queue. A slot's connection is opened on first use, checked before each
 * use and replaced when broken, so the app recovers by itself when its database restarts or kills its sessions.
 */
final class ConnectionPool implements AutoCloseable {

    /** Connection state of SQLSTATE class 08: what callers answer with 503. */
    static final String UNAVAILABLE = "08001";

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final class Slot {
        Connection connection;
    }

    private static final int SIZE = 4;
    private static final int CONNECT_TIMEOUT_SECONDS = 2;
    // A request waits for a free slot no longer than a connect attempt may take, then gets 503 rather than hanging.
    private static final long BORROW_TIMEOUT_MILLIS = 2_000;

    private final Driver driver = new Driver();
    private final String url;
    private final Properties properties = new Properties();
    private final BlockingQueue<Slot> slots = new ArrayBlockingQueue<>(SIZE);
    private volatile boolean closed;

    ConnectionPool(Config config) {
        this.url = config.databaseUrl();
        if (config.databaseUser() != null) {
            properties.setProperty("user", config.databaseUser());
        }
        if (config.databasePassword() != null) {
            properties.setProperty("password", config.databasePassword());
        }
        properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        // A database that stops answering mid-query fails the request instead of holding a thread forever.
        properties.setProperty("socketTimeout", "60");
        properties.setProperty("tcpKeepAlive", "true");
        // Lets an operator (or a migration) tell this app's sessions apart in pg_stat_activity.
        properties.setProperty("ApplicationName", "sample-app");
        for (int i = 0; i < SIZE; i++) {
            slots.add(new Slot());
        }
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode. */
    <T> T withConnection(Work<T> work) throws SQLException {
        Slot slot = borrow();
        try {
            return work.run(ready(slot));
        } finally {
            giveBack(slot);
        }
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    <T> T inTransaction(Work<T> work) throws SQLException {
        return withConnection(connection -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                restoreAutoCommit(connection);
            }
        });
    }

    private Slot borrow() throws SQLException {
        if (closed) {
            throw new SQLTransientConnectionException("connection pool is closed", UNAVAILABLE);
        }
        try {
            Slot slot = slots.poll(BORROW_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (slot == null) {
                throw new SQLTransientConnectionException("no database connection free within " + BORROW_TIMEOUT_MILLIS + " ms", UNAVAILABLE);
            }
            return slot;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a database connection", UNAVAILABLE, e);
        }
    }

    private Connection ready(Slot slot) throws SQLException {
        // One round trip per use is cheap on a local network and catches sessions the server has already dropped.
        if (slot.connection != null && slot.connection.isValid(CONNECT_TIMEOUT_SECONDS)) {
            return slot.connection;
        }
        closeQuietly(slot.connection);
        slot.connection = null;
        Connection fresh;
        try {
            fresh = driver.connect(url, properties);
        } catch (SQLException e) {
            // Reported as unavailable whatever the reason (refused, unknown database, bad password); only the state is
            // kept in the message because the driver's text can name the user.
            throw new SQLTransientConnectionException("cannot connect to the database (SQLSTATE " + e.getSQLState() + ")", UNAVAILABLE, e);
        }
        if (fresh == null) {
            throw new SQLTransientConnectionException("the PostgreSQL driver does not accept DATABASE_URL", UNAVAILABLE);
        }
        slot.connection = fresh;
        return fresh;
    }

    private void giveBack(Slot slot) {
        if (closed) {
            closeQuietly(slot.connection);
            slot.connection = null;
        }
        slots.add(slot);
    }

    @Override
    public void close() {
        closed = true;
        for (Slot slot : slots) {
            closeQuietly(slot.connection);
            slot.connection = null;
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            // The connection is broken; the next borrower's validity check replaces it.
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // Already broken; nothing left to release.
        }
    }
}
