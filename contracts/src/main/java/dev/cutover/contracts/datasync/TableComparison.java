package dev.cutover.contracts.datasync;

import dev.cutover.contracts.Required;

/** One table compared on both sides. */
public record TableComparison(String database, String table, long sourceRows, long targetRows, boolean matches) {
    public TableComparison {
        Required.present(database, "database");
        Required.present(table, "table");
    }
}
