package dev.cutover.contracts.preflight;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import dev.cutover.contracts.Strategy;
import java.util.UUID;

/**
 * Check that the migration can be done, before anything changes. {@code recheck}: the second run, right before the
 * freeze, of the checks that can change meanwhile ({@code targetEnvironment} is then the target this migration made).
 * {@code oneWay}: the user moves without a way back, so what the rollback needs is not required. {@code tenant}: whom the
 * migration is for; an environment another tenant owns is, to this migration, one that does not exist ({@code null}: an
 * identity of every tenant asked, whoever owns it).
 */
public record RunPreflight(UUID migrationId, String environment, String targetServer, Strategy strategy, boolean recheck,
                          String targetEnvironment, boolean oneWay, String tenant) implements MigrationMessage {
    public RunPreflight {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetServer, "targetServer");
        Required.present(strategy, "strategy");
    }
}
