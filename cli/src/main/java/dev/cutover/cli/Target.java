package dev.cutover.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

/** The options that name a migration: what moves where, and how (plan and create). */
final class Target {

    enum Strategy { live, snapshot, manual }

    @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV", description = "the environment to move")
    String environment;

    @Option(names = {"-t", "--to"}, required = true, paramLabel = "SERVER", description = "the server to move it to")
    String server;

    @Option(names = {"-s", "--strategy"}, paramLabel = "STRATEGY",
            description = "how the data moves: ${COMPLETION-CANDIDATES} (the server's default: live)")
    Strategy strategy;

    @Option(names = "--new-name", paramLabel = "NAME", description = "the target environment's name (default: ENV-SERVER)")
    String newName;

    @Option(names = "--one-way", description = "move without a way back: no reverse replication from the switch point, and"
            + " preflight does not require what it needs (a rollback then copies the target back inside its freeze)")
    boolean oneWay;

    @Option(names = "--switch-over-at", paramLabel = "TIME",
            description = "the start of the switch-over window (ISO-8601, 2026-12-24T22:00:00Z): the migration confirms itself"
                    + " then, if every check passes, instead of waiting for cutover confirm")
    String switchOverAt;

    @Option(names = "--switch-over-until", paramLabel = "TIME",
            description = "the end of the switch-over window: a migration not ready by then waits for cutover confirm")
    String switchOverUntil;

    ObjectNode body() {
        ObjectNode body = Json.object();
        body.put("environment", environment);
        body.put("targetServer", server);
        if (strategy != null) {
            body.put("strategy", strategy.name());
        }
        if (newName != null) {
            body.put("newName", newName);
        }
        if (oneWay) {
            body.put("oneWay", true);
        }
        if (switchOverAt != null) {
            body.put("switchOverAt", switchOverAt);
        }
        if (switchOverUntil != null) {
            body.put("switchOverUntil", switchOverUntil);
        }
        return body;
    }

    String createCommand() {
        return Render.createCommand(environment, server, strategy == null ? null : strategy.name(), newName, (oneWay ? " --one-way" : "")
                + (switchOverAt == null ? "" : " --switch-over-at " + Shell.quote(switchOverAt))
                + (switchOverUntil == null ? "" : " --switch-over-until " + Shell.quote(switchOverUntil)));
    }
}
