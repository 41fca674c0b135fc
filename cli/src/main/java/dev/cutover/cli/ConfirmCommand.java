package dev.cutover.cli;

import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "confirm", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        header = "Confirm a migration that awaits confirmation: switch over.",
        description = "Confirms a migration that awaits confirmation: writes freeze, the last changes are copied, "
                + "traffic switches to the target.",
        footer = {"", "Exit codes:", Exit.TABLE})
final class ConfirmCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the migration's id", converter = MigrationId.class)
    UUID id;

    @Override
    public Integer call() {
        return act(id, "confirm", m -> "Confirmed migration " + id + ": the switch-over of " + Render.text(m, "environment") + " to "
                + Render.text(m, "targetEnvironment") + " on " + Render.text(m, "targetServer") + " goes ahead (state: "
                + Render.text(m, "state") + ").");
    }
}
