package dev.cutover.sampleapp;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Fills the database with many varied rows (text with odd characters, empty strings and nulls, exact decimals, old
 * timestamps, binary receipts) so a migration has realistic data to move. Rows are streamed with COPY in one
 * transaction, which keeps the heap small whatever the row count.
 */
final class Seeder {

    static final int MAX_CUSTOMERS = 1_000_000;
    static final int MAX_ORDERS_PER_CUSTOMER = 1_000;
    static final long MAX_ORDERS = 10_000_000;

    private static final String[] FIRST_NAMES = {
        "Ada", "Zoë", "José", "Łukasz", "李", "Ōtani", "Renée", "Nguyễn", "Søren", "Amélie", "Ngozi", "Dmitrij"};
    private static final String[] LAST_NAMES = {
        "Lovelace", "O'Brien", "Müller", "García-López", "雷", "Ångström", "van der Berg", "Straße", "Þórsdóttir", "\"Quoted\""};
    // Strings that break naive copying: quotes, tabs, newlines, backslashes, emoji, and an empty string (not null).
    private static final String[] NOTES = {
        "gift wrap, please", "leave at the door\nring twice", "tab\tseparated", "path C:\\orders\\42", "📦 fragile",
        "she said \"thanks\"", "", "DROP TABLE orders; -- just a note", "ümlaut & ß", "  padded  "};
    private static final long THREE_YEARS_MICROS = Duration.ofDays(3 * 365).toNanos() / 1_000;
    private static final long MAX_CENTS = 999_999_999_999L; // numeric(12,2) holds up to 9 999 999 999.99

    private final ConnectionPool pool;

    Seeder(ConnectionPool pool) {
        this.pool = pool;
    }

    /** Inserts {@code customers} customers with {@code ordersPerCustomer} orders each; returns the totals afterwards. */
    Shop.Stats seed(int customers, int ordersPerCustomer) throws SQLException {
        return pool.inTransaction(connection -> {
            if (customers > 0) {
                long firstId = reserveCustomerIds(connection, customers);
                SplittableRandom random = new SplittableRandom();
                Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                copy(connection, "copy customers (id, name, email, created_at) from stdin", out -> {
                    for (long id = firstId; id < firstId + customers; id++) {
                        writeCustomer(out, id, random, now);
                    }
                });
                if (ordersPerCustomer > 0) {
                    copy(connection, "copy orders (customer_id, amount, note, placed_at, receipt) from stdin", out -> {
                        for (long id = firstId; id < firstId + customers; id++) {
                            for (int i = 0; i < ordersPerCustomer; i++) {
                                writeOrder(out, id, random, now);
                            }
                        }
                    });
                }
            }
            return Shop.stats(connection);
        });
    }

    /**
     * Takes a contiguous block of customer ids so orders can reference them without reading them back. The table
     * lock keeps concurrent inserts from drawing ids inside the block until this transaction ends.
     */
    private static long reserveCustomerIds(Connection connection, int count) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("lock table customers in share row exclusive mode");
            try (ResultSet rows = statement.executeQuery(
                    "select setval(pg_get_serial_sequence('customers', 'id'), nextval(pg_get_serial_sequence('customers', 'id')) + " + (count - 1) + ")")) {
                rows.next();
                return rows.getLong(1) - count + 1;
            }
        }
    }

    @FunctionalInterface
    private interface Rows {
        void write(Writer out) throws IOException;
    }

    private static void copy(Connection connection, String sql, Rows rows) throws SQLException {
        PGCopyOutputStream stream = new PGCopyOutputStream(connection.unwrap(PGConnection.class), sql, 1 << 16);
        try (Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16)) {
            rows.write(out);
        } catch (IOException e) {
            // The driver reports server-side COPY errors as an IOException caused by the SQLException.
            if (e.getCause() instanceof SQLException cause) {
                throw cause;
            }
            throw new SQLException("COPY failed: " + e.getMessage(), "08006", e);
        }
    }

    private static void writeCustomer(Writer out, long id, SplittableRandom random, Instant now) throws IOException {
        String name = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)] + " " + LAST_NAMES[random.nextInt(LAST_NAMES.length)];
        out.write(Long.toString(id));
        out.write('\t');
        out.write(escape(name));
        out.write('\t');
        out.write(random.nextInt(7) == 0 ? "\\N" : "customer" + id + "@example.test");
        out.write('\t');
        out.write(pastInstant(random, now));
        out.write('\n');
    }

    private static void writeOrder(Writer out, long customerId, SplittableRandom random, Instant now) throws IOException {
        // Mostly everyday amounts, sometimes the largest the column holds, to catch lossy numeric copies.
        long cents = random.nextInt(10) == 0 ? random.nextLong(1, MAX_CENTS + 1) : random.nextLong(1, 100_000);
        out.write(Long.toString(customerId));
        out.write('\t');
        out.write(BigDecimal.valueOf(cents, 2).toPlainString());
        out.write('\t');
        out.write(random.nextInt(5) == 0 ? "\\N" : escape(NOTES[random.nextInt(NOTES.length)]));
        out.write('\t');
        out.write(pastInstant(random, now));
        out.write('\t');
        if (random.nextInt(4) == 0) {
            out.write("\\N");
        } else {
            byte[] receipt = new byte[random.nextInt(65)];
            random.nextBytes(receipt);
            // bytea hex input, its backslash escaped for COPY's text format.
            out.write("\\\\x");
            out.write(HexFormat.of().formatHex(receipt));
        }
        out.write('\n');
    }

    /** A moment in the last three years, with microseconds, as PostgreSQL stores them. */
    private static String pastInstant(SplittableRandom random, Instant now) {
        return now.minus(random.nextLong(THREE_YEARS_MICROS), ChronoUnit.MICROS).toString();
    }

    /** Escapes a value for COPY's text format. */
    private static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
