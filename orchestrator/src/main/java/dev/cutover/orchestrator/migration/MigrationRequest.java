package dev.cutover.orchestrator.migration;

import dev.cutover.kit.problem.Problem;
import dev.cutover.platform.Names;

import dev.cutover.contracts.Strategy;
import java.time.OffsetDateTime;

/**
 * What {@code POST /migrations} takes: the environment, the target server, the strategy (default live) and options;
 * {@code freezeBudgetMillis}: the longest freeze the user accepts (default {@code cutover.freeze.budget}); {@code oneWay}:
 * move without a way back (no reverse replication, and preflight does not require what it needs); {@code switchOverAt}
 * (and optionally {@code switchOverUntil}): the switch-over window, in which the migration confirms itself.
 */
public record MigrationRequest(String environment, String targetServer, Strategy strategy, String newName, Boolean autoConfirm,
                               Long freezeBudgetMillis, Boolean oneWay, OffsetDateTime switchOverAt,
                               OffsetDateTime switchOverUntil) {

    /** Refuses a request whose names break the platform's rule (the same rule preflight and the platform apply). */
    public void check(String what) {
        if (environment == null || environment.isBlank()) {
            throw new Problem(422, what + " needs an environment: environment is missing or not a string");
        }
        if (targetServer == null || targetServer.isBlank()) {
            throw new Problem(422, what + " needs a targetServer: targetServer is missing or not a string");
        }
        for (String refusal : new String[] {Names.refusal("environment", environment), Names.refusal("targetServer", targetServer),
                newName == null ? null : Names.refusal("newName", newName)}) {
            if (refusal != null) {
                throw new Problem(422, refusal);
            }
        }
        if (switchOverUntil != null && switchOverAt == null) {
            throw new Problem(422, "switchOverUntil ends a switch-over window: switchOverAt, its start, is missing");
        }
        if (switchOverUntil != null && !switchOverUntil.isAfter(switchOverAt)) {
            throw new Problem(422, "switchOverUntil (" + switchOverUntil + ") must be after switchOverAt (" + switchOverAt + ")");
        }
    }
}
