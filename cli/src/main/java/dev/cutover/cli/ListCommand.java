package dev.cutover.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        header = "List migrations, newest first.",
        description = "One row per migration: id, environment, target, strategy, state, current step, start time.",
        footer = {"", "States: preflight, prepare, sync, verify, awaiting-confirmation, waiting-for-catch-up, switch-over, completed, "
                + "preflight-failed, aborting, aborted, needs-attention, rolling-back, rolled-back, finalized, failed.", "", "Exit codes:", Exit.TABLE})
final class ListCommand extends ApiCommand {

    @Option(names = {"-e", "--env"}, paramLabel = "ENV", description = "only this environment's migrations")
    String environment;

    @Option(names = "--state", paramLabel = "STATE", description = "only migrations in this state")
    String state;

    @Override
    public Integer call() {
        List<String> query = new ArrayList<>();
        if (environment != null) {
            query.add("environment=" + URLEncoder.encode(environment, StandardCharsets.UTF_8));
        }
        if (state != null) {
            query.add("state=" + URLEncoder.encode(state, StandardCharsets.UTF_8));
        }
        Api.Answer answer = api().get("/migrations" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        if (!answer.ok()) {
            throw refusal(answer);
        }
        var migrations = body(answer);
        if (json()) {
            printRaw(answer);
        } else {
            print(Render.list(migrations));
        }
        return Exit.OK;
    }
}
