package dev.cutover.cli;

import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "repair", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        header = "Try again what a migration that needs attention failed to do.",
        description = "A compensation, or a step after the switch-over, failed every retry and the migration needs attention "
                + "(cutover status says what failed and why). Once its cause is fixed, repair tries it again, with a fresh "
                + "count of retries.",
        footer = {"", "Exit codes:", Exit.TABLE})
final class RepairCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the migration's id", converter = MigrationId.class)
    UUID id;

    @Override
    public Integer call() {
        return act(id, "repair", m -> "Repairing migration " + id + " (state: " + Render.text(m, "state") + "): "
                + Render.text(m, "reason") + ".");
    }
}
