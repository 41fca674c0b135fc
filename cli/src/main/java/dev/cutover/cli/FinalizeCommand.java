package dev.cutover.cli;

import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "finalize", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        header = "Finalize a completed migration now: remove its source.",
        description = "Does now what cutover.retention does after completion: the way back (the source replicating from the "
                + "target), the old address's forwarding and the source environment (its processes, databases and roles) are "
                + "removed, and the migration can no longer be rolled back. On a migration whose cleanup stopped on a failure, "
                + "tries that cleanup again.",
        footer = {"", "Exit codes:", Exit.TABLE})
final class FinalizeCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the migration's id", converter = MigrationId.class)
    UUID id;

    @Override
    public Integer call() {
        return act(id, "finalize", m -> "Finalizing migration " + id + ": " + Render.text(m, "targetEnvironment")
                + " is where " + Render.text(m, "environment") + " runs for good; the way back, the old address and "
                + Render.text(m, "environment") + " itself are being removed, and the migration can no longer be rolled back (state: "
                + Render.text(m, "state") + ").\nNext: cutover status " + id + " --watch");
    }
}
