package dev.cutover.sampleapp;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The app's own schema migrations, applied on start so that an empty database gets the schema. */
final class Migrations {

    private record Migration(int version, String sql) {
    }

    private static final List<Migration> ALL = List.of(
            new Migration(1, """
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
                    """));

    // Two instances starting on one database at once (old and new release during a move) must not both migrate.
    private static final long LOCK_KEY = 0x5A3F_1E_0001L;

    private Migrations() {
    }

    /** Applies the migrations the database lacks, in one transaction; returns how many it applied. */
    static int apply(ConnectionPool pool) throws SQLException {
        return pool.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("select pg_advisory_xact_lock(" + LOCK_KEY + ")");
                statement.execute("create table if not exists schema_migrations (version int primary key, applied_at timestamptz not null default now())");
            }
            Set<Integer> applied = new HashSet<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("select version from schema_migrations")) {
                while (rows.next()) {
                    applied.add(rows.getInt(1));
                }
            }
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
