package dev.cutover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "abort", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        header = "Abort a migration before its switch-over: undo every step.",
        description = "Aborts a migration before its switch-over: every step done so far is undone, newest first, "
                + "and the source ends as it was.",
        footer = {"", "Exit codes:", Exit.TABLE})
final class AbortCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the migration's id", converter = MigrationId.class)
    UUID id;

    @Override
    public Integer call() {
        Api.Answer answer = api().post("/migrations/" + id + "/abort", null, Map.of());
        if (!answer.ok()) {
            throw refusal(answer);
        }
        JsonNode m = body(answer);
        if (json()) {
            printRaw(answer);
        } else {
            print(List.of("Abort requested for migration " + id + " (state: " + Render.text(m, "state")
                            + "): every step done so far is being undone, newest first; " + Render.text(m, "environment")
                            + " stays where it was.",
                    "Next: cutover status " + id + " --watch"));
        }
        return Exit.OK;
    }
}
