package dev.cutover.e2e;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Inserts in a loop on its own connection, as a worker would; on an error it notes the SQL state (or that its environment is
 * gone) and reconnects.
 */
final class DirectWriter extends Thread {

    /** The table the writers write into, in each database they write to. */
    static final String CREATE = "create table direct_write (id bigserial primary key, writer int not null, at timestamptz default now())";
    final String environment;
    final String database;
    final int writer;
    final List<Long> acked = Collections.synchronizedList(new ArrayList<>());
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;

    DirectWriter(String environment, String database, int writer) {
        super("direct-writer-" + writer);
        this.environment = environment;
        this.database = database;
        this.writer = writer;
        setDaemon(true);
    }

    @Override
    public void run() {
        while (running) {
            try (Connection c = Stack.connect(environment, database);
                 PreparedStatement insert = c.prepareStatement("insert into direct_write (writer) values (?) returning id")) {
                while (running) {
                    insert.setInt(1, writer);
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        acked.add(rs.getLong(1));
                    }
                    Thread.sleep(5);
                }
            } catch (SQLException e) {
                errors.add(e.getSQLState() + " " + e.getMessage().lines().findFirst().orElse(""));
                Stack.sleep(20);
            } catch (IllegalStateException e) {
                // The platform no longer knows the environment (a rolled-back target is removed): nothing to connect to.
                errors.add("gone " + e.getMessage());
                Stack.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void finish() throws InterruptedException {
        running = false;
        join(5000);
    }

    static void insert(String environment, String database, int writer) throws SQLException {
        try (Connection c = Stack.connect(environment, database); Statement s = c.createStatement()) {
            s.execute("insert into direct_write (writer) values (" + writer + ")");
        }
    }

    /** How many of {@code ids} this writer wrote are there. */
    static long count(String environment, String database, int writer, List<Long> ids) throws SQLException {
        try (Connection c = Stack.connect(environment, database); PreparedStatement q = c.prepareStatement(
                "select count(*) from direct_write where writer = ? and id = any(?)")) {
            q.setInt(1, writer);
            q.setArray(2, c.createArrayOf("bigint", new ArrayList<>(ids).toArray()));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
