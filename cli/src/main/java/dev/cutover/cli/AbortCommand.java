package dev.cutover.cli;

import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "abort", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        header = "Abort a migration before its switch-over: undo every step.",
        description = "Aborts a migration before its switch-over: every step done so far is undone, newest first, "
                + "and the source ends as it was. With --force, ends a migration that needs attention as it stands: its "
                + "failed compensation is given up, and what it left is for you to clean up (the reason names it).",
        footer = {"", "Exit codes:", Exit.TABLE})
final class AbortCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the migration's id", converter = MigrationId.class)
    UUID id;

    @Option(names = "--force", description = "end a migration that needs attention without its failed compensation")
    boolean force;

    @Override
    public Integer call() {
        if (force) {
            return act(id, "abort?force=true", m -> "Migration " + id + " ended by force (state: " + Render.text(m, "state") + "): "
                    + Render.text(m, "reason"));
        }
        return act(id, "abort", m -> "Abort requested for migration " + id + " (state: " + Render.text(m, "state")
                + "): every step done so far is being undone, newest first; " + Render.text(m, "environment") + " stays where it was.");
    }
}
