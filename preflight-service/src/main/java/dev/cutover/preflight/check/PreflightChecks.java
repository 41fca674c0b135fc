package dev.cutover.preflight.check;

import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.preflight.CheckResult;
import dev.cutover.contracts.preflight.CheckResult.Outcome;
import dev.cutover.contracts.preflight.CheckResult.Severity;
import dev.cutover.platform.Environment;
import dev.cutover.platform.Server;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The checks, as plain logic over what the platform reports: each with an id, a severity and a reason a person can act on. */
public final class PreflightChecks {

    /** Room kept free on the target's disk beyond the databases' current size, for growth during the migration. */
    static final double DISK_MARGIN = 1.2;

    private PreflightChecks() {
    }

    public static List<CheckResult> run(String environmentName, Optional<Environment> source, String targetName,
                                        Optional<Server> target, Strategy strategy) {
        List<CheckResult> results = new ArrayList<>();
        results.add(source.isPresent()
                ? pass("environment-exists", "environment " + environmentName + " exists on server " + source.get().server())
                : blocker("environment-exists", "environment " + environmentName + " does not exist"));
        results.add(target.isPresent()
                ? pass("target-exists", "server " + targetName + " exists in region " + target.get().region())
                : blocker("target-exists", "server " + targetName + " does not exist"));
        if (target.isPresent()) {
            Server t = target.get();
            results.add(t.online()
                    ? pass("target-online", "server " + targetName + " is online")
                    : blocker("target-online", "server " + targetName + " is offline: bring it online or choose another target"));
            if (source.isPresent()) {
                results.add(source.get().server().equals(targetName)
                        ? blocker("target-not-running-it", "environment " + environmentName + " already runs on " + targetName)
                        : pass("target-not-running-it", "server " + targetName + " does not run " + environmentName));
                if (t.online()) {
                    results.add(room(source.get(), t));
                }
            }
        }
        source.ifPresent(s -> results.add(s.running()
                ? pass("source-running", "environment " + environmentName + " is running")
                : warning("source-running", "environment " + environmentName + " is " + s.status()
                        + ": the target will be started from its release anyway")));
        if (strategy == Strategy.MANUAL) {
            results.add(warning("data-manual", "strategy manual: Cutover moves no data, the target starts with empty databases"));
        }
        return results;
    }

    private static CheckResult room(Environment source, Server target) {
        long databaseBytes = source.databases().stream().mapToLong(Environment.Database::sizeBytes).sum();
        long diskNeededMb = (long) Math.ceil(databaseBytes * DISK_MARGIN / (1024 * 1024));
        long memoryNeededMb = source.plan().memoryMb();
        Server.Capacity free = target.free();
        List<String> short_ = new ArrayList<>();
        if (free.environments() < 1) {
            short_.add("no environment slot left (" + target.capacity().environments() + " in use)");
        }
        if (free.memoryMb() < memoryNeededMb) {
            short_.add("needs " + memoryNeededMb + " MB memory, " + free.memoryMb() + " MB free");
        }
        if (free.diskMb() < diskNeededMb) {
            short_.add("needs " + diskNeededMb + " MB disk for the databases plus margin, " + free.diskMb() + " MB free");
        }
        return short_.isEmpty()
                ? pass("target-has-room", "server " + target.name() + " has room: " + free.memoryMb() + " MB memory, "
                        + free.diskMb() + " MB disk, " + free.environments() + " environment slots free")
                : blocker("target-has-room", "server " + target.name() + " has no room: " + String.join("; ", short_));
    }

    /** The reason a migration is refused: every failed blocker's reason. */
    public static String refusal(List<CheckResult> results) {
        return String.join("; ", results.stream().filter(CheckResult::blocks).map(CheckResult::reason).toList());
    }

    private static CheckResult pass(String id, String reason) {
        return new CheckResult(id, Severity.BLOCKER, Outcome.PASS, reason);
    }

    private static CheckResult blocker(String id, String reason) {
        return new CheckResult(id, Severity.BLOCKER, Outcome.FAIL, reason);
    }

    private static CheckResult warning(String id, String reason) {
        return new CheckResult(id, Severity.WARNING, Outcome.WARNING, reason);
    }
}
