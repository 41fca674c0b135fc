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
        return body;
    }

    String createCommand() {
        return Render.createCommand(environment, server, strategy == null ? null : strategy.name(), newName, oneWay ? " --one-way" : "");
    }
}
