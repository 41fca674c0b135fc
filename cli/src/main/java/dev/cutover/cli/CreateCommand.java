package dev.cutover.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        header = "Start a migration.",
        description = "Starts a migration: preflight, prepare the target, copy the data, verify, then wait for "
                + "confirmation (unless --auto-confirm) before switching traffic over.",
        footer = {"", "Exit codes:", Exit.TABLE})
final class CreateCommand extends ApiCommand {

    @Mixin
    Target target;

    @Option(names = "--auto-confirm", description = "switch over as soon as the target is verified, without waiting for cutover confirm")
    boolean autoConfirm;

    @Option(names = "--freeze-budget", paramLabel = "MS",
            description = "the longest freeze you accept, in milliseconds (default: the orchestrator's, 1000); a live migration"
                    + " waits for the replication lag to fall until the predicted freeze fits it, or until cutover force")
    Long freezeBudgetMillis;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "repeating a create with the same key answers the migration it started, instead of a second one")
    String idempotencyKey;

    @Override
    public Integer call() {
        ObjectNode body = target.body();
        body.put("autoConfirm", autoConfirm);
        if (freezeBudgetMillis != null) {
            body.put("freezeBudgetMillis", freezeBudgetMillis);
        }
        Api.Answer answer = api().post("/migrations", body,
                idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
        if (!answer.ok()) {
            throw refusal(answer);
        }
        var migration = body(answer);
        if (json()) {
            printRaw(answer);
        } else {
            print(Render.created(migration, answer.status() == 200));
        }
        return Exit.forState(Render.text(migration, "state"));
    }
}
