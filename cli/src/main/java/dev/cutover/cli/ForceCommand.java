package dev.cutover.cli;

import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "force", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        header = "Switch over now, although the predicted freeze is over the downtime budget.",
        description = "A live migration that waits for its replication lag to fall (state waiting-for-catch-up) freezes "
                + "now: the freeze may last longer than the migration's budget.",
        footer = {"", "Exit codes:", Exit.TABLE})
final class ForceCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the migration's id", converter = MigrationId.class)
    UUID id;

    @Override
    public Integer call() {
        return act(id, "force", m -> "Forced migration " + id + ": the switch-over of " + Render.text(m, "environment") + " to "
                + Render.text(m, "targetEnvironment") + " freezes now, past its budget of " + Render.text(m, "freezeBudgetMillis")
                + " ms (state: " + Render.text(m, "state") + ").");
    }
}
