package dev.cutover.datasync.verify;

import dev.cutover.contracts.datasync.TableComparison;
import dev.cutover.datasync.copy.Catalog;
import dev.cutover.datasync.copy.Workers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Compares tables on both sides chunk by chunk: rows and a checksum of their content per primary-key range, so a large
 * table is read in streaming aggregates, never held in memory, and a difference is named down to its chunk. The
 * checksum is a sum of each row's 64-bit hash ({@code hashtextextended}, several times cheaper than an md5 of the row),
 * so it doesn't depend on the order rows are read in. Each chunk is summed on both sides at once.
 */
public final class Checksums {

    private Checksums() {
    }

    /** Compares every table, in parallel on the workers' connections; the chunk bounds are taken from the source. */
    public static List<TableComparison> compare(String database, List<Catalog.Table> tables, Workers workers, long chunkRows)
            throws SQLException {
        List<TableComparison> result = Collections.synchronizedList(new ArrayList<>());
        List<Workers.Task> tasks = new ArrayList<>();
        ExecutorService targetSide = Executors.newFixedThreadPool(workers.size(), r -> {
            Thread t = new Thread(r, "data-sync-checksum");
            t.setDaemon(true);
            return t;
        });
        for (Catalog.Table table : tables) {
            tasks.add((source, target) -> result.add(compare(database, table.qualified(), source, target, chunkRows, targetSide)));
        }
        try {
            workers.runAll(tasks);
        } finally {
            targetSide.shutdownNow();
        }
        List<TableComparison> ordered = new ArrayList<>(result);
        ordered.sort((a, b) -> a.table().compareTo(b.table()));
        return ordered;
    }

    static TableComparison compare(String database, String table, Connection source, Connection target, long chunkRows,
                                   ExecutorService targetSide) throws SQLException {
        if (!Catalog.exists(target, table)) {
            long rows = sum(source, table, Catalog.copiedColumns(source, table), null).rows();
            return new TableComparison(database, table, rows, -1, false, "the table is missing on the target");
        }
        List<String> columns = Catalog.copiedColumns(source, table);
        List<String[]> key = Catalog.primaryKey(source, table);
        List<String> chunks = chunks(source, table, key, chunkRows);
        long sourceRows = 0;
        long targetRows = 0;
        String differing = null;
        for (int i = 0; i < chunks.size(); i++) {
            String chunk = chunks.get(i);
            Future<Sum> there = targetSide.submit(() -> sum(target, table, columns, chunk));
            Sum s = sum(source, table, columns, chunk);
            Sum t = joined(there);
            sourceRows += s.rows();
            targetRows += t.rows();
            if (differing == null && !s.equals(t)) {
                differing = "chunk " + (i + 1) + " of " + chunks.size() + (chunks.get(i) == null ? "" : " (" + chunks.get(i) + ")")
                        + ": source " + s.rows() + " rows, target " + t.rows() + (s.rows() == t.rows() ? ", same count, different content" : "");
            }
        }
        return new TableComparison(database, table, sourceRows, targetRows, differing == null, differing);
    }

    private static Sum joined(Future<Sum> sum) throws SQLException {
        try {
            return sum.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause().toString(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        }
    }

    /**
     * The WHERE conditions of each chunk. A table whose key is one integer column with few gaps is cut into key ranges of
     * about {@code chunkRows} rows, from its lowest and highest key; other keys take every {@code chunkRows}-th key on the
     * source as a bound (a walk of the whole key). A table without a primary key is one chunk ({@code null}: the whole
     * table).
     */
    private static List<String> chunks(Connection source, String table, List<String[]> key, long chunkRows) throws SQLException {
        List<String> chunks = new ArrayList<>();
        if (key.isEmpty()) {
            chunks.add(null);
            return chunks;
        }
        if (key.size() == 1 && List.of("smallint", "integer", "bigint").contains(key.get(0)[1])) {
            String k = key.get(0)[0];
            try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(
                    "select min(" + k + "), max(" + k + "), count(*) from " + table)) {
                rs.next();
                long min = rs.getLong(1);
                long max = rs.getLong(2);
                long rows = rs.getLong(3);
                if (rows == 0) {
                    chunks.add(null);
                    return chunks;
                }
                long span = max - min + 1;
                if (span > 0 && span <= 4 * Math.max(rows, chunkRows)) {
                    long count = (rows + chunkRows - 1) / chunkRows;
                    long width = (span + count - 1) / count;
                    for (long from = min; from <= max; from += width) {
                        String lower = from == min ? null : k + " >= " + from;
                        String upper = from + width > max ? null : k + " < " + (from + width);
                        chunks.add(lower == null && upper == null ? null : lower == null ? upper : upper == null ? lower : lower + " and " + upper);
                    }
                    return chunks;
                }
            }
        }
        String columns = String.join(", ", key.stream().map(k -> k[0]).toList());
        String texts = String.join(", ", key.stream().map(k -> k[0] + "::text").toList());
        List<String> bounds = new ArrayList<>();
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(
                "select " + texts + " from (select " + columns + ", row_number() over (order by " + columns + ") as cutover_rn from "
                        + table + ") k where cutover_rn % " + chunkRows + " = 0 order by cutover_rn")) {
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < key.size(); i++) {
                    values.add("'" + rs.getString(i + 1).replace("'", "''") + "'::" + key.get(i)[1]);
                }
                bounds.add("(" + String.join(", ", values) + ")");
            }
        }
        String tuple = "(" + columns + ")";
        for (int i = 0; i <= bounds.size(); i++) {
            String lower = i == 0 ? null : tuple + " > " + bounds.get(i - 1);
            String upper = i == bounds.size() ? null : tuple + " <= " + bounds.get(i);
            chunks.add(lower == null && upper == null ? null : lower == null ? upper : upper == null ? lower : lower + " and " + upper);
        }
        return chunks;
    }

    private record Sum(long rows, String checksum) {
    }

    /** Rows and the checksum of the rows matching {@code where} ({@code null}: all). */
    private static Sum sum(Connection c, String table, List<String> columns, String where) throws SQLException {
        String sql = "select count(*), coalesce(sum(hashtextextended(row(" + String.join(", ", columns) + ")::text, 0)), 0) from "
                + table + (where == null ? "" : " where " + where);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new Sum(rs.getLong(1), rs.getString(2));
        }
    }
}
