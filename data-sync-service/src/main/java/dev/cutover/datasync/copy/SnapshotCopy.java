package dev.cutover.datasync.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * One consistent copy of a database, the way pg_restore orders it but in parallel: the workers all read the same
 * exported snapshot; the target's tables are created where missing and stripped of keys and indexes; the tables are
 * streamed with binary COPY, largest first; then keys and indexes are built per table in parallel, foreign keys added,
 * and every sequence set to the source's value.
 */
public final class SnapshotCopy {

    /** One table copied. */
    public record TableCopied(String table, long rows, long bytes) {
    }

    /** The whole database copied. */
    public record Result(List<TableCopied> tables, long rows, long bytes) {
    }

    private SnapshotCopy() {
    }

    public static Result copy(Workers workers, List<Catalog.Table> tables, Consumer<TableCopied> progress) throws SQLException {
        workers.runAll(List.of((source, target) -> prepareTarget(source, target, tables)));

        List<TableCopied> copied = Collections.synchronizedList(new ArrayList<>());
        List<Workers.Task> copies = new ArrayList<>();
        tables.stream().sorted(Comparator.comparingLong(Catalog.Table::bytes).reversed()).forEach(table ->
                copies.add((source, target) -> {
                    TableCopied one = copyTable(source, target, table);
                    copied.add(one);
                    progress.accept(one);
                }));
        workers.runAll(copies);

        List<Workers.Task> indexes = new ArrayList<>();
        for (Catalog.Table table : tables) {
            indexes.add((source, target) -> execute(target, Catalog.keysAndIndexes(source, table)));
        }
        workers.runAll(indexes);
        workers.runAll(List.of((source, target) -> {
            List<String> add = new ArrayList<>();
            for (String[] fk : Catalog.foreignKeys(source)) {
                add.add(fk[1]);
            }
            execute(target, add);
            copySequences(source, target);
        }));
        List<TableCopied> ordered = new ArrayList<>(copied);
        ordered.sort(Comparator.comparing(TableCopied::table));
        return new Result(ordered, ordered.stream().mapToLong(TableCopied::rows).sum(), ordered.stream().mapToLong(TableCopied::bytes).sum());
    }

    /** Empties every table of the target copy (compensation). */
    public static void truncate(Connection target) throws SQLException {
        List<Catalog.Table> tables = Catalog.tables(target);
        if (!tables.isEmpty()) {
            execute(target, List.of("truncate table " + String.join(", ", tables.stream().map(Catalog.Table::qualified).toList()) + " cascade"));
        }
    }

    /** Logical copies don't carry sequences: set each to the source's value so new ids don't collide. */
    public static void copySequences(Connection source, Connection target) throws SQLException {
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

    /** Types and missing tables created; existing tables emptied and stripped of foreign keys, keys and indexes. */
    private static void prepareTarget(Connection source, Connection target, List<Catalog.Table> tables) throws SQLException {
        execute(target, Catalog.missingEnums(source, target));
        List<String> drop = new ArrayList<>();
        for (String[] fk : Catalog.foreignKeys(target)) {
            drop.add(fk[0]);
        }
        execute(target, drop);
        Map<String, Catalog.Table> existing = new HashMap<>();
        for (Catalog.Table t : Catalog.tables(target)) {
            existing.put(t.qualified(), t);
        }
        for (Catalog.Table table : tables) {
            Catalog.Table there = existing.get(table.qualified());
            execute(target, there == null ? Catalog.createBare(source, table) : Catalog.dropKeysAndIndexes(target, there));
        }
        if (!tables.isEmpty()) {
            execute(target, List.of("truncate table " + String.join(", ", tables.stream().map(Catalog.Table::qualified).toList())));
        }
    }

    private static TableCopied copyTable(Connection source, Connection target, Catalog.Table table) throws SQLException {
        String columns = String.join(", ", Catalog.copiedColumns(source, table.qualified()));
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

    private static void execute(Connection c, List<String> statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
