package dev.cutover.cli;

import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "pause", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        header = "Pause a live migration before its switch-over.",
        description = "A live migration awaiting confirmation, or waiting for its lag to fall, stops replicating: its targets "
                + "apply nothing until cutover resume. The source keeps every change for them (its WAL grows, and the WAL "
                + "warning still fires); the source serves as before.",
        footer = {"", "Exit codes:", Exit.TABLE})
final class PauseCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the migration's id", converter = MigrationId.class)
    UUID id;

    @Override
    public Integer call() {
        return act(id, "pause", m -> "Paused migration " + id + ": " + Render.text(m, "targetEnvironment")
                + " applies nothing until resumed.\nNext: cutover resume " + id);
    }
}
