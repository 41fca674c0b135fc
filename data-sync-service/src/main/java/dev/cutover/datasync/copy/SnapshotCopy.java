package dev.cutover.datasync.copy;

import dev.cutover.contracts.datasync.TableComparison;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * The {@code snapshot} strategy for one database: every table read in one consistent snapshot of the source and
 * streamed with binary COPY into the target, whose foreign keys are dropped for the load and added back after it
 * (the way pg_restore orders it), then every sequence set to the source's value. Tables missing on the target are created.
 */
public final class SnapshotCopy {

    /** One table copied. */
    public record TableCopied(String table, long rows, long bytes) {
    }

    /** The whole database copied: every table with the rows the snapshot held. */
    public record Result(List<TableCopied> tables, long rows, long bytes) {
    }

    private static final String USER_TABLES = """
            select n.nspname, c.relname, c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind = 'r' and not c.relispartition
              and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
            order by n.nspname, c.relname""";

    private SnapshotCopy() {
    }

    public static Result copy(Connection source, Connection target, Consumer<TableCopied> progress) throws SQLException {
        source.setAutoCommit(false);
        source.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        source.setReadOnly(true);
        target.setAutoCommit(false);
        try {
            List<Table> tables = tables(source);
            createMissing(source, target, tables);
            List<String> foreignKeys = dropForeignKeys(target);
            if (!tables.isEmpty()) {
                try (Statement s = target.createStatement()) {
                    s.execute("truncate table " + String.join(", ", tables.stream().map(Table::qualified).toList()));
                }
            }
            long rows = 0;
            long bytes = 0;
            List<TableCopied> copied = new ArrayList<>();
            for (Table table : tables) {
                TableCopied one = copyTable(source, target, table);
                rows += one.rows();
                bytes += one.bytes();
                copied.add(one);
                progress.accept(one);
            }
            try (Statement s = target.createStatement()) {
                for (String fk : foreignKeys) {
                    s.execute(fk);
                }
            }
            copySequences(source, target);
            target.commit();
            source.commit();
            return new Result(copied, rows, bytes);
        } catch (SQLException | RuntimeException e) {
            target.rollback();
            source.rollback();
            throw e;
        }
    }

    /** Row counts of every table on both sides. */
    public static List<TableComparison> compare(String database, Connection source, Connection target) throws SQLException {
        List<TableComparison> result = new ArrayList<>();
        for (Table table : tables(source)) {
            long s = count(source, table.qualified());
            long t = count(target, table.qualified());
            result.add(new TableComparison(database, table.qualified(), s, t, s == t));
        }
        return result;
    }

    /** Rows of a table ({@code schema.name}, quoted), or -1 if the table doesn't exist. */
    public static long count(Connection c, String qualifiedTable) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("select to_regclass(?) is not null")) {
            q.setString(1, qualifiedTable);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return -1;
                }
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from " + qualifiedTable)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Empties every table of the target copy (compensation). */
    public static void truncate(Connection target) throws SQLException {
        List<Table> tables = tables(target);
        if (!tables.isEmpty()) {
            try (Statement s = target.createStatement()) {
                s.execute("truncate table " + String.join(", ", tables.stream().map(Table::qualified).toList()) + " cascade");
            }
        }
    }

    private record Table(String schema, String name, long oid) {
        String qualified() {
            return ident(schema) + "." + ident(name);
        }
    }

    private static List<Table> tables(Connection c) throws SQLException {
        List<Table> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(USER_TABLES)) {
            while (rs.next()) {
                tables.add(new Table(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
        }
        return tables;
    }

    private static boolean exists(Connection c, Table table) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("select to_regclass(?) is not null")) {
            q.setString(1, table.qualified());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static TableCopied copyTable(Connection source, Connection target, Table table) throws SQLException {
        String columns = String.join(", ", columns(source, table));
        CopyOut out = source.unwrap(PGConnection.class).getCopyAPI()
                .copyOut("copy (select " + columns + " from " + table.qualified() + ") to stdout (format binary)");
        CopyIn in = target.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("copy " + table.qualified() + " (" + columns + ") from stdin (format binary)");
        long bytes = 0;
        try {
            byte[] chunk;
            while ((chunk = out.readFromCopy()) != null) {
                in.writeToCopy(chunk, 0, chunk.length);
                bytes += chunk.length;
            }
            return new TableCopied(table.qualified(), in.endCopy(), bytes);
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private static List<String> columns(Connection c, Table table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(
                "select attname from pg_attribute where attrelid = ? and attnum > 0 and not attisdropped order by attnum")) {
            q.setLong(1, table.oid());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    columns.add(ident(rs.getString(1)));
                }
            }
        }
        return columns;
    }

    /** Creates schemas, sequences and tables (columns, defaults, primary key) the target doesn't have yet. */
    private static void createMissing(Connection source, Connection target, List<Table> tables) throws SQLException {
        try (Statement t = target.createStatement()) {
            for (Table table : tables) {
                if (exists(target, table)) {
                    continue;
                }
                t.execute("create schema if not exists " + ident(table.schema()));
                for (String sequence : ownedSequences(source, table)) {
                    t.execute("create sequence if not exists " + sequence);
                }
                t.execute(createTable(source, table));
            }
        }
    }

    private static List<String> ownedSequences(Connection c, Table table) throws SQLException {
        List<String> sequences = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("""
                select format('%I.%I', n.nspname, s.relname) from pg_depend d
                join pg_class s on s.oid = d.objid and s.relkind = 'S' join pg_namespace n on n.oid = s.relnamespace
                where d.refobjid = ? and d.deptype in ('a', 'i')""")) {
            q.setLong(1, table.oid());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    sequences.add(rs.getString(1));
                }
            }
        }
        return sequences;
    }

    private static String createTable(Connection c, Table table) throws SQLException {
        List<String> parts = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("""
                select format('%I %s%s%s', a.attname, format_type(a.atttypid, a.atttypmod),
                              case when a.attnotnull then ' not null' else '' end,
                              coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''))
                from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
                where a.attrelid = ? and a.attnum > 0 and not a.attisdropped order by a.attnum""")) {
            q.setLong(1, table.oid());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    parts.add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement q = c.prepareStatement(
                "select pg_get_constraintdef(oid) from pg_constraint where conrelid = ? and contype in ('p', 'u', 'c')")) {
            q.setLong(1, table.oid());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    parts.add(rs.getString(1));
                }
            }
        }
        return "create table " + table.qualified() + " (" + String.join(", ", parts) + ")";
    }

    /** Drops the target's foreign keys (every one is between copied tables), returning the statements that add them back. */
    private static List<String> dropForeignKeys(Connection target) throws SQLException {
        List<String> restore = new ArrayList<>();
        List<String> drop = new ArrayList<>();
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery("""
                select format('%I.%I', n.nspname, c.relname), format('%I', k.conname), pg_get_constraintdef(k.oid)
                from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
                where k.contype = 'f'""")) {
            while (rs.next()) {
                drop.add("alter table " + rs.getString(1) + " drop constraint " + rs.getString(2));
                restore.add("alter table " + rs.getString(1) + " add constraint " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        try (Statement s = target.createStatement()) {
            for (String statement : drop) {
                s.execute(statement);
            }
        }
        return restore;
    }

    /** Logical copies don't carry sequences: set each to the source's value so new ids don't collide. */
    private static void copySequences(Connection source, Connection target) throws SQLException {
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(
                "select format('%I.%I', schemaname, sequencename), last_value from pg_sequences where last_value is not null");
             PreparedStatement set = target.prepareStatement("select setval(?::regclass, ?, true)")) {
            while (rs.next()) {
                set.setString(1, rs.getString(1));
                set.setLong(2, rs.getLong(2));
                set.execute();
            }
        }
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
