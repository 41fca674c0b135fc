package dev.cutover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "rollback", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        header = "Move a completed migration back to its source.",
        description = "Moves a completed migration back: traffic returns to the source and the previous address is "
                + "restored, with what was written on the target since the switch-over.",
        footer = {"", "Exit codes:", Exit.TABLE})
final class RollbackCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the migration's id", converter = MigrationId.class)
    UUID id;

    @Override
    public Integer call() {
        Api api = api();
        String path = "/migrations/" + id + "/rollback";
        Api.Answer answer = api.post(path, null, Map.of());
        if (answer.status() == 404 || answer.status() == 405 || answer.status() == 501) {
            // Either the migration does not exist, or the server has no rollback route (its 404 then says something
            // like "Unable to find matching target resource method"): the migration itself tells which.
            Api.Answer migration = api.get("/migrations/" + id);
            if (migration.status() == 404) {
                throw refusal(migration);
            }
            throw new CliException(Exit.REFUSED, "this server does not support rollback yet (POST " + path
                    + " answered HTTP " + answer.status() + "); nothing was changed");
        }
        if (!answer.ok()) {
            throw refusal(answer);
        }
        JsonNode m = body(answer);
        if (json()) {
            printRaw(answer);
        } else {
            print(List.of("Rollback requested for migration " + id + " (state: " + Render.text(m, "state") + "): traffic goes back to "
                            + Render.text(m, "environment") + ", with what was written on " + Render.text(m, "targetEnvironment")
                            + " since the switch-over.",
                    "Next: cutover status " + id + " --watch"));
        }
        return Exit.OK;
    }
}
