package dev.cutover.datasync.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a database holds, read from PostgreSQL's catalogue: its tables, their columns, keys, indexes and types. */
public final class Catalog {

    /** A user table; {@code qualified} is quoted and safe to put in SQL. */
    public record Table(String schema, String name, long oid, long bytes) {
        public String qualified() {
            return ident(schema) + "." + ident(name);
        }
    }

    private static final String USER_TABLES = """
            select n.nspname, c.relname, c.oid, pg_table_size(c.oid) from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind = 'r' and not c.relispartition
              and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
            order by n.nspname, c.relname""";

    private Catalog() {
    }

    public static List<Table> tables(Connection c) throws SQLException {
        return rows(c, USER_TABLES).stream()
                .map(r -> new Table(r[0], r[1], Long.parseLong(r[2]), Long.parseLong(r[3]))).toList();
    }

    public static boolean exists(Connection c, String qualifiedTable) throws SQLException {
        return !strings(c, "select 1 from (select to_regclass(?) r) s where r is not null", qualifiedTable).isEmpty();
    }

    /** The columns a COPY carries (generated ones are computed by the target), quoted, in table order. */
    public static List<String> copiedColumns(Connection c, String qualifiedTable) throws SQLException {
        return strings(c, """
                select format('%I', attname) from pg_attribute where attrelid = ?::regclass and attnum > 0
                and not attisdropped and attgenerated = '' order by attnum""", qualifiedTable);
    }

    /** Column name and type of every column, for comparing a table's shape on both sides. */
    public static Map<String, List<String>> columnShapes(Connection c) throws SQLException {
        Map<String, List<String>> shapes = new HashMap<>();
        for (String[] r : rows(c, """
                select n.nspname, t.relname, a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                from pg_attribute a join pg_class t on t.oid = a.attrelid join pg_namespace n on n.oid = t.relnamespace
                where t.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
                  and a.attnum > 0 and not a.attisdropped order by n.nspname, t.relname, a.attnum""")) {
            shapes.computeIfAbsent(ident(r[0]) + "." + ident(r[1]), k -> new ArrayList<>()).add(r[2]);
        }
        return shapes;
    }

    /** The primary key's columns, quoted, with their types ({@code "id"::bigint}); empty for a table without one. */
    public static List<String[]> primaryKey(Connection c, String qualifiedTable) throws SQLException {
        return rows(c, """
                select format('%I', a.attname), format_type(a.atttypid, a.atttypmod)
                from pg_index i cross join unnest(i.indkey) with ordinality k(attnum, pos)
                join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                where i.indrelid = ?::regclass and i.indisprimary order by k.pos""", qualifiedTable);
    }

    /** Statements creating the enum types the target lacks (enum columns need them before their tables). */
    public static List<String> missingEnums(Connection source, Connection target) throws SQLException {
        List<String> existing = strings(target, "select format('%I.%I', n.nspname, t.typname) from pg_type t "
                + "join pg_namespace n on n.oid = t.typnamespace where t.typtype = 'e'");
        List<String> create = new ArrayList<>();
        for (String[] e : rows(source, """
                select format('%I', n.nspname), format('%I.%I', n.nspname, t.typname),
                       string_agg(quote_literal(e.enumlabel), ', ' order by e.enumsortorder)
                from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_enum e on e.enumtypid = t.oid
                group by n.nspname, t.typname""")) {
            if (!existing.contains(e[1])) {
                create.add("create schema if not exists " + e[0]);
                create.add("create type " + e[1] + " as enum (" + e[2] + ")");
            }
        }
        return create;
    }

    /** Statements creating a table with its columns, defaults, NOT NULLs and checks, but no keys or indexes yet. */
    public static List<String> createBare(Connection c, Table table) throws SQLException {
        List<String> statements = new ArrayList<>();
        statements.add("create schema if not exists " + ident(table.schema()));
        for (String sequence : strings(c, """
                select format('%I.%I', n.nspname, s.relname) from pg_depend d
                join pg_class s on s.oid = d.objid and s.relkind = 'S' join pg_namespace n on n.oid = s.relnamespace
                where d.refobjid = ? and d.deptype = 'a'""", table.oid())) {
            statements.add("create sequence if not exists " + sequence);
        }
        List<String> parts = strings(c, """
                select format('%I %s%s%s', a.attname, format_type(a.atttypid, a.atttypmod),
                              case when a.attnotnull then ' not null' else '' end,
                              case when a.attgenerated = 's' then ' generated always as (' || pg_get_expr(d.adbin, d.adrelid) || ') stored'
                                   when a.attidentity = 'a' then ' generated always as identity'
                                   when a.attidentity = 'd' then ' generated by default as identity'
                                   else coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') end)
                from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
                where a.attrelid = ? and a.attnum > 0 and not a.attisdropped order by a.attnum""", table.oid());
        parts.addAll(strings(c, "select pg_get_constraintdef(oid) from pg_constraint where conrelid = ? and contype = 'c'", table.oid()));
        statements.add("create table " + table.qualified() + " (" + String.join(", ", parts) + ")");
        return statements;
    }

    /** Statements adding a table's keys, unique and exclusion constraints, as the source has them. */
    public static List<String> constraints(Connection c, Table table) throws SQLException {
        List<String> statements = new ArrayList<>();
        for (String[] k : rows(c, "select format('%I', conname), pg_get_constraintdef(oid) from pg_constraint "
                + "where conrelid = ? and contype in ('p', 'u', 'x') order by contype", table.oid())) {
            statements.add("alter table " + table.qualified() + " add constraint " + k[0] + " " + k[1]);
        }
        return statements;
    }

    /** Statements creating a table's other indexes, as the source has them. */
    public static List<String> indexes(Connection c, Table table) throws SQLException {
        return strings(c, """
                select pg_get_indexdef(i.indexrelid) from pg_index i
                where i.indrelid = ? and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)""", table.oid());
    }

    /** Statements dropping a target table's keys and indexes, so the load doesn't maintain them row by row. */
    public static List<String> dropKeysAndIndexes(Connection c, Table table) throws SQLException {
        List<String> statements = new ArrayList<>();
        for (String name : strings(c, "select format('%I', conname) from pg_constraint where conrelid = ? and contype in ('p', 'u', 'x')",
                table.oid())) {
            statements.add("alter table " + table.qualified() + " drop constraint " + name);
        }
        for (String index : strings(c, """
                select format('%I.%I', n.nspname, x.relname) from pg_index i join pg_class x on x.oid = i.indexrelid
                join pg_namespace n on n.oid = x.relnamespace
                where i.indrelid = ? and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)""", table.oid())) {
            statements.add("drop index " + index);
        }
        return statements;
    }

    /** Every foreign key of the database: {@code [drop statement, add statement, validate statement]}. */
    public static List<String[]> foreignKeys(Connection c) throws SQLException {
        List<String[]> keys = new ArrayList<>();
        for (String[] k : rows(c, """
                select format('alter table %I.%I %%s constraint %I', n.nspname, c.relname, k.conname), pg_get_constraintdef(k.oid)
                from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
                where k.contype = 'f' and n.nspname not in ('pg_catalog', 'information_schema')""")) {
            keys.add(new String[] {k[0].replace("%s", "drop"), k[0].replace("%s", "add") + " " + k[1], k[0].replace("%s", "validate")});
        }
        return keys;
    }

    private static List<String> strings(Connection c, String sql, Object... parameters) throws SQLException {
        return new ArrayList<>(rows(c, sql, parameters).stream().map(r -> r[0]).toList());
    }

    private static List<String[]> rows(Connection c, String sql, Object... parameters) throws SQLException {
        List<String[]> result = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof Long l) {
                    q.setLong(i + 1, l);
                } else {
                    q.setString(i + 1, (String) parameters[i]);
                }
            }
            try (ResultSet rs = q.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    result.add(row);
                }
            }
        }
        return result;
    }

    public static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
