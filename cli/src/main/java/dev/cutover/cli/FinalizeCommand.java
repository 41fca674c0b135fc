package dev.cutover.cli;

import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "finalize", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        header = "End a completed migration's rollback window now.",
        description = "Ends the rollback window of a completed migration before cutover.rollback.window does: the way back "
                + "(the source replicating from the target) is removed, and the migration can no longer be rolled back.",
        footer = {"", "Exit codes:", Exit.TABLE})
final class FinalizeCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the migration's id", converter = MigrationId.class)
    UUID id;

    @Override
    public Integer call() {
        return act(id, "finalize", m -> "Finalized migration " + id + ": " + Render.text(m, "targetEnvironment")
                + " is where " + Render.text(m, "environment") + " runs for good; the way back is being removed and the"
                + " migration can no longer be rolled back (state: " + Render.text(m, "state") + ").");
    }
}
