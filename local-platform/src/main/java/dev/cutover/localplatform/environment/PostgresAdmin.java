package dev.cutover.localplatform.environment;

import dev.cutover.localplatform.server.ServerEntity;
import dev.cutover.platform.PlatformException;
import dev.cutover.platform.PostgresWriteFence;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Databases and their login roles on a server's PostgreSQL, reached as its superuser. */
@ApplicationScoped
public class PostgresAdmin {

    private static final String SUPERUSER = "postgres";
    private static final int IDLE_PER_SERVER = 4;

    private final Map<String, Deque<Connection>> idle = new ConcurrentHashMap<>();

    /** Creates the role and the database it owns, unless they exist (the password is then reset to the one given). */
    public void createDatabase(ServerEntity server, String database, String user, String password) {
        try (Connection c = connect(server); Statement s = c.createStatement()) {
            if (!exists(c, "select 1 from pg_roles where rolname = ?", user)) {
                // REPLICATION: the live strategy reads a logical replication stream with this login.
                s.execute("create role " + ident(user) + " login replication");
            }
            // A target's login subscribes to its source's changes (PostgreSQL 16+ lets a non-superuser do it through this role).
            if (exists(c, "select 1 from pg_roles where rolname = ?", "pg_create_subscription")) {
                s.execute("grant pg_create_subscription to " + ident(user));
            }
            // The password never reaches a log: statement logging is off on these servers and errors don't echo SQL.
            s.execute("alter role " + ident(user) + " password " + literal(password));
            if (!exists(c, "select 1 from pg_database where datname = ?", database)) {
                s.execute("create database " + ident(database) + " owner " + ident(user));
            }
        } catch (SQLException e) {
            throw unreachable(server, e);
        }
    }

    /** Drops the database (closing its connections) and its role; nothing if they are gone already. */
    public void dropDatabase(ServerEntity server, String database, String user) {
        try (Connection c = connect(server); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + ident(database) + " with (force)");
            s.execute("drop role if exists " + ident(user));
        } catch (SQLException e) {
            throw unreachable(server, e);
        }
    }

    /** Fences the database's writes or lifts the fence ({@link PostgresWriteFence}). */
    public void fenceWrites(ServerEntity server, String database, boolean fenced) {
        try (Connection c = connect(server)) {
            if (fenced) {
                PostgresWriteFence.fence(c, database);
            } else {
                PostgresWriteFence.lift(c, database);
            }
        } catch (SQLException e) {
            throw unreachable(server, e);
        }
    }

    public boolean databaseExists(ServerEntity server, String database) {
        try (Connection c = connect(server)) {
            return exists(c, "select 1 from pg_database where datname = ?", database);
        } catch (SQLException e) {
            throw unreachable(server, e);
        }
    }

    public Map<String, Long> sizeBytes(ServerEntity server, List<String> databases) {
        Map<String, Long> sizes = new HashMap<>();
        if (databases.isEmpty()) {
            return sizes;
        }
        try (Connection c = connect(server);
             PreparedStatement q = c.prepareStatement(
                     "select datname, pg_database_size(datname) from pg_database where datname = any(?)")) {
            Array names = c.createArrayOf("text", databases.toArray());
            q.setArray(1, names);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    sizes.put(rs.getString(1), rs.getLong(2));
                }
            }
            return sizes;
        } catch (SQLException e) {
            throw unreachable(server, e);
        }
    }

    /** The server's major.minor version, for example {@code 17.5}. */
    public String version(ServerEntity server) {
        try (Connection c = connect(server); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show server_version")) {
            rs.next();
            return rs.getString(1).split(" ")[0];
        } catch (SQLException e) {
            throw unreachable(server, e);
        }
    }

    /**
     * A superuser session on the server, from the few kept open per server: every environment's view asks its server for
     * sizes, and a new session each time (a process forked on the server) was what busied two cores at 1,000 migrations.
     */
    private Connection connect(ServerEntity server) throws SQLException {
        String url = server.adminJdbcUrl();
        Deque<Connection> pool = idle.computeIfAbsent(url, u -> new ConcurrentLinkedDeque<>());
        for (Connection c; (c = pool.poll()) != null; ) {
            if (c.isValid(1)) {
                return kept(pool, c);
            }
            closeQuietly(c);
        }
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("connectTimeout", "3");
        return kept(pool, DriverManager.getConnection(url, props));
    }

    /** The session, whose close gives it back to the pool (if there is room, and it was left as it was taken). */
    private static Connection kept(Deque<Connection> pool, Connection session) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
            if (method.getName().equals("close")) {
                if (!session.isClosed() && session.getAutoCommit() && pool.size() < IDLE_PER_SERVER) {
                    pool.offer(session);
                } else {
                    session.close();
                }
                return null;
            }
            try {
                return method.invoke(session, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    void closeAll(@Observes ShutdownEvent ignored) {
        idle.values().forEach(pool -> pool.forEach(PostgresAdmin::closeQuietly));
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // gone already
        }
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, value);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static PlatformException unreachable(ServerEntity server, SQLException e) {
        return new PlatformException(503, "database server of '" + server.name + "' failed or is unreachable: "
                + e.getSQLState(), e);
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
