package dev.cutover.sampleapp;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The app's own schema migrations. Applied on start (MIGRATIONS=auto, the default) so that an empty database gets the
 * schema, or left pending for an operator to run (MIGRATIONS=manual, like a release phase run by hand), which the
 * platform reports and preflight refuses to move.
 */
final class Migrations {

    record Migration(int version, String name, String sql) {
    }

    private static final List<Migration> ALL = List.of(
            new Migration(1, "create customers and orders", """
                    create table if not exists customers (
                        id bigserial primary key,
                        name text not null,
                        email text,
                        created_at timestamptz not null default now()
                    );
                    create table if not exists orders (
                        id bigserial primary key,
                        customer_id bigint not null references customers(id),
                        amount numeric(12,2) not null,
                        note text,
                        placed_at timestamptz not null default now(),
                        receipt bytea
                    );
                    """),
            new Migration(2, "index orders by customer", """
                    create index if not exists orders_customer_id on orders (customer_id);
                    """));

    // Two instances starting on one database at once (old and new release during a move) must not both migrate.
    private static final long LOCK_KEY = 0x5A3F_1E_0001L;

    private Migrations() {
    }

    /** The migrations the database lacks, oldest first. */
    static List<Migration> pending(ConnectionPool pool) throws SQLException {
        return pool.inTransaction(connection -> {
            prepare(connection);
            Set<Integer> applied = applied(connection);
            return ALL.stream().filter(m -> !applied.contains(m.version())).toList();
        });
    }

    private static void prepare(java.sql.Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("select pg_advisory_xact_lock(" + LOCK_KEY + ")");
            statement.execute("create table if not exists schema_migrations (version int primary key, applied_at timestamptz not null default now())");
        }
    }

    private static Set<Integer> applied(java.sql.Connection connection) throws SQLException {
        Set<Integer> applied = new HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select version from schema_migrations")) {
            while (rows.next()) {
                applied.add(rows.getInt(1));
            }
        }
        return applied;
    }

    /** Applies the migrations the database lacks, in one transaction; returns how many it applied. */
    static int apply(ConnectionPool pool) throws SQLException {
        return pool.inTransaction(connection -> {
            prepare(connection);
            Set<Integer> applied = applied(connection);
            int count = 0;
            for (Migration migration : ALL) {
                if (applied.contains(migration.version())) {
                    continue;
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute(migration.sql());
                }
                try (PreparedStatement record = connection.prepareStatement("insert into schema_migrations (version, applied_at) values (?, now())")) {
                    record.setInt(1, migration.version());
                    record.executeUpdate();
                }
                count++;
            }
            return count;
        });
    }
}
