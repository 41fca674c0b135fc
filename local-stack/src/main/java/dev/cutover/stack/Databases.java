package dev.cutover.stack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** Database administration on a server reached as its superuser. */
public final class Databases {
    private Databases() {
    }

    /** Creates {@code name} on the server behind {@code adminUrl} (a JDBC URL to its {@code postgres} database) unless it exists. */
    public static void ensure(String adminUrl, String name) {
        try (Connection c = DriverManager.getConnection(adminUrl, PostgresServer.SUPERUSER, "")) {
            try (PreparedStatement q = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                q.setString(1, name);
                if (q.executeQuery().next()) {
                    return;
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("create database \"" + name.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }
}
