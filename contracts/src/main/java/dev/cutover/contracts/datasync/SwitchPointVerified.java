package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.List;
import java.util.UUID;

/**
 * The full comparison of the fenced source and the target as it was at the switch point, made after the traffic was
 * released: every table, every row, by checksum. {@code matches} false means the target differs (the tables say where)
 * or that the proof could not be made ({@code detail} says why).
 */
public record SwitchPointVerified(UUID migrationId, boolean matches, List<TableComparison> tables, String detail)
        implements MigrationMessage {
    public SwitchPointVerified {
        Required.present(migrationId, "migrationId");
        Required.present(tables, "tables");
        Required.present(detail, "detail");
    }
}
