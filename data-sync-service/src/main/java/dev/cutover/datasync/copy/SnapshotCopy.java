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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * One consistent copy of a database, the way pg_restore orders it but overlapped, as pgcopydb does: the workers all read
 * the same exported snapshot; the target's tables are created where missing and stripped of keys and indexes; the
 * tables are streamed with binary COPY, largest first, a large table split into page ranges copied by several
 * workers at once; as soon as a table's rows are in, its keys and then its indexes are built (each index by
 * a worker of its own) ahead of the copies still waiting, while other tables copy; then the foreign keys are added
 * without a check and validated in parallel, every table analyzed, and every sequence set to the source's value.
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

    /**
     * Copies every table; a table larger than {@code splitBytes} is copied in as many page ranges as there are workers.
     * {@code streamed} counts the bytes as they go through (what the copy's throughput is sampled from).
     */
    public static Result copy(Workers workers, List<Catalog.Table> tables, long splitBytes, Consumer<TableCopied> progress,
                              LongAdder streamed) throws SQLException {
        Map<String, List<String>> parts = new HashMap<>();
        workers.runAll(List.of((source, target) -> {
            prepareTarget(source, target, tables);
            for (Catalog.Table table : tables) {
                parts.put(table.qualified(), table.bytes() > splitBytes ? ranges(source, table, workers.size()) : List.of(""));
            }
        }));

        List<TableCopied> copied = Collections.synchronizedList(new ArrayList<>());
        Workers.Queue queue = new Workers.Queue();
        tables.stream().sorted(Comparator.comparingLong(Catalog.Table::bytes).reversed()).forEach(table -> {
            List<String> ranges = parts.get(table.qualified());
            AtomicInteger left = new AtomicInteger(ranges.size());
            AtomicLong rows = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            for (String range : ranges) {
                queue.add((source, target) -> {
                    TableCopied part = copyTable(source, target, table, range, streamed);
                    rows.addAndGet(part.rows());
                    bytes.addAndGet(part.bytes());
                    if (left.decrementAndGet() == 0) {
                        TableCopied one = new TableCopied(table.qualified(), rows.get(), bytes.get());
                        copied.add(one);
                        progress.accept(one);
                        // Its keys first (they lock the table), then each other index on a worker of its own.
                        queue.next((s, t) -> {
                            execute(t, Catalog.constraints(s, table));
                            for (String index : Catalog.indexes(s, table)) {
                                queue.next((s2, t2) -> execute(t2, List.of(index)));
                            }
                        });
                    }
                });
            }
        });
        workers.run(queue);

        // Foreign keys: added without a check (a lock and a catalog entry), then each validated on its own worker: the
        // check reads both tables but blocks neither.
        List<String> validations = new ArrayList<>();
        workers.runAll(List.of((source, target) -> {
            List<String> add = new ArrayList<>();
            for (String[] fk : Catalog.foreignKeys(source)) {
                boolean unchecked = fk[1].endsWith("NOT VALID");
                add.add(unchecked ? fk[1] : fk[1] + " not valid");
                if (!unchecked) {
                    validations.add(fk[2]);
                }
            }
            execute(target, add);
            copySequences(source, target);
        }));
        List<Workers.Task> last = new ArrayList<>();
        validations.forEach(v -> last.add((source, target) -> execute(target, List.of(v))));
        // So that the target plans its queries well from its first one.
        tables.forEach(table -> last.add((source, target) -> execute(target, List.of("analyze " + table.qualified()))));
        workers.runAll(last);
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

    /**
     * The WHERE conditions splitting a table into {@code parts} ranges of its pages ({@code ctid}), which PostgreSQL 14
     * and later read with a TID range scan: each part reads only its pages, and every worker reads the same snapshot, so
     * the parts are exactly the table. One unbounded part ({@code ""}) when the table has fewer pages than parts.
     */
    static List<String> ranges(Connection source, Catalog.Table table, int parts) throws SQLException {
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("select pg_relation_size('" + table.qualified()
                .replace("'", "''") + "') / current_setting('block_size')::bigint")) {
            rs.next();
            long pages = rs.getLong(1);
            if (parts < 2 || pages < parts) {
                return List.of("");
            }
            List<String> ranges = new ArrayList<>();
            long step = pages / parts + 1;
            for (int i = 0; i < parts; i++) {
                String from = "ctid >= '(" + i * step + ",0)'::tid";
                String to = "ctid < '(" + (i + 1) * step + ",0)'::tid";
                ranges.add(" where " + (i == 0 ? to : i == parts - 1 ? from : from + " and " + to));
            }
            return ranges;
        }
    }

    private static TableCopied copyTable(Connection source, Connection target, Catalog.Table table, String range, LongAdder streamed)
            throws SQLException {
        String columns = String.join(", ", Catalog.copiedColumns(source, table.qualified()));
        CopyOut out = source.unwrap(PGConnection.class).getCopyAPI()
                .copyOut("copy (select " + columns + " from " + table.qualified() + range + ") to stdout (format binary)");
        CopyIn in = target.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("copy " + table.qualified() + " (" + columns + ") from stdin (format binary)");
        long bytes = 0;
        try {
            byte[] chunk;
            while ((chunk = out.readFromCopy()) != null) {
                in.writeToCopy(chunk, 0, chunk.length);
                bytes += chunk.length;
                streamed.add(chunk.length);
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
