package dev.cutover.contracts.datasync;

import dev.cutover.contracts.Required;

/**
 * One table compared on both sides, by rows and a checksum per primary-key chunk; {@code difference} names the first
 * chunk that differs ({@code null} when the table matches).
 */
public record TableComparison(String database, String table, long sourceRows, long targetRows, boolean matches, String difference) {
    public TableComparison {
        Required.present(database, "database");
        Required.present(table, "table");
    }
}
