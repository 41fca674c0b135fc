package dev.cutover.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/** A real PostgreSQL server (binaries from Maven Central), listening on loopback. */
public final class PostgresServer implements AutoCloseable {

    public static final String SUPERUSER = "postgres";

    private final String name;
    private final EmbeddedPostgres pg;
    private final Path dataDir;

    private PostgresServer(String name, EmbeddedPostgres pg, Path dataDir) {
        this.name = name;
        this.pg = pg;
        this.dataDir = dataDir;
    }

    /**
     * Starts a server on {@code dataDir}, keeping its databases if the directory already holds a cluster.
     * A postmaster left behind by a killed launcher is stopped first, so a start after a crash works.
     */
    public static PostgresServer start(String name, Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir.getParent());
        Processes.killStale(dataDir.resolve("postmaster.pid"));
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(30))
                // Logical replication needs these from the start: every completed migration keeps its way back (a slot
                // and a sender on the target's server, an apply worker on the source's) for its rollback window.
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "64")
                .setServerConfig("max_wal_senders", "64")
                .setServerConfig("max_logical_replication_workers", "48")
                .setServerConfig("max_worker_processes", "64")
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .start();
        requirePasswords(pg, dataDir);
        return new PostgresServer(name, pg, dataDir);
    }

    /**
     * As on a managed PostgreSQL, every login but the superuser's must give its password. PostgreSQL also insists on it
     * for a non-superuser's subscription (the live strategy), which fails with "password is required" otherwise.
     */
    private static void requirePasswords(EmbeddedPostgres pg, Path dataDir) throws IOException {
        Files.writeString(dataDir.resolve("pg_hba.conf"), """
                local all all trust
                host all postgres 127.0.0.1/32 trust
                host all postgres ::1/128 trust
                host replication postgres 127.0.0.1/32 trust
                host all all 127.0.0.1/32 scram-sha-256
                host all all ::1/128 scram-sha-256
                host replication all 127.0.0.1/32 scram-sha-256
                host replication all ::1/128 scram-sha-256
                """);
        try (Connection c = pg.getDatabase(SUPERUSER, "postgres").getConnection()) {
            c.createStatement().execute("select pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("cannot reload the configuration of PostgreSQL on port " + pg.getPort(), e);
        }
    }

    /** Stops the server (every session ends) and starts it again on the same data and port, as a server restart does. */
    public PostgresServer restarted() throws IOException {
        int port = port();
        close();
        return start(name, dataDir, port);
    }

    public String name() {
        return name;
    }

    public int port() {
        return pg.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates the database if it doesn't exist yet. */
    public void createDatabase(String database) {
        Databases.ensure(jdbcUrl("postgres"), database);
    }

    public Connection connect(String database) throws SQLException {
        return pg.getDatabase(SUPERUSER, database).getConnection();
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
