package dev.cutover.cli;

import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        header = "Resume a paused migration.",
        description = "The targets of a paused migration catch up from where they stopped; it then waits where it waited.",
        footer = {"", "Exit codes:", Exit.TABLE})
final class ResumeCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the migration's id", converter = MigrationId.class)
    UUID id;

    @Override
    public Integer call() {
        return act(id, "resume", m -> "Resumed migration " + id + " (state: " + Render.text(m, "state") + ").\nNext: cutover status "
                + id + " --watch");
    }
}
