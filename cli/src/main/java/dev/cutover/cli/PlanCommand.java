package dev.cutover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        header = "Check a migration without starting it: checks and steps.",
        description = "Checks a migration without starting it: every preflight check (pass, warning, fail with the reason) "
                + "and the steps that would run. Changes nothing.",
        footer = {"", "Exits 0 if the migration can start, 3 if a check refuses it.", "", "Exit codes:", Exit.TABLE})
final class PlanCommand extends ApiCommand {

    @Mixin
    Target target;

    @Override
    public Integer call() {
        Api.Answer answer = api().post("/plans", target.body(), Map.of());
        if (answer.unknownPath()) {
            throw new CliException(Exit.REFUSED, "this server does not support plan yet (POST /plans answered HTTP "
                    + answer.status() + "); to start the migration anyway: " + target.createCommand());
        }
        if (!answer.ok()) {
            throw refusal(answer);
        }
        JsonNode plan = body(answer);
        if (json()) {
            printRaw(answer);
        } else {
            print(Render.plan(plan, target.createCommand()));
        }
        return "planned".equals(Render.text(plan, "state")) ? Exit.OK : Exit.REFUSED;
    }
}
