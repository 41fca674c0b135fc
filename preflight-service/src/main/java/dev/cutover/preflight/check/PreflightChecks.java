package dev.cutover.preflight.check;

import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.preflight.CheckResult;
import dev.cutover.contracts.preflight.CheckResult.Outcome;
import dev.cutover.contracts.preflight.CheckResult.Severity;
import dev.cutover.platform.Environment;
import dev.cutover.platform.Server;
import dev.cutover.platform.Skeleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checks, as plain logic over {@link Facts}: each with an id, a severity and a reason a person can act on.
 * On a recheck (right before the freeze) only the checks whose answer can have changed since the first run are made.
 */
public final class PreflightChecks {

    /** Room kept free on the target's disk beyond the databases' current size, for growth during the migration. */
    static final double DISK_MARGIN = 1.2;

    private PreflightChecks() {
    }

    public static List<CheckResult> run(Facts f, Facts.Settings settings) {
        List<CheckResult> results = new ArrayList<>();
        results.add(f.source().isPresent()
                ? pass("environment-exists", "environment " + f.environmentName() + " exists on server " + f.source().get().server())
                : blocker("environment-exists", "environment " + f.environmentName() + " does not exist"));
        results.add(f.target().isPresent()
                ? pass("target-exists", "server " + f.targetName() + " exists in region " + f.target().get().region())
                : blocker("target-exists", "server " + f.targetName() + " does not exist"));
        if (f.target().isEmpty() || f.source().isEmpty()) {
            return results;
        }
        Environment source = f.source().get();
        Server target = f.target().get();
        results.add(target.online()
                ? pass("target-online", "server " + target.name() + " is online")
                : blocker("target-online", "server " + target.name() + " is offline: bring it online or choose another target"));
        if (!f.recheck()) {
            results.add(source.server().equals(target.name())
                    ? blocker("target-not-running-it", "environment " + source.name() + " already runs on " + target.name())
                    : pass("target-not-running-it", "server " + target.name() + " does not run " + source.name()));
            if (target.online()) {
                results.add(room(source, target));
            }
        }
        results.add(postgresVersion(source, target));
        results.add(addonsAvailable(source, target));
        results.add(pendingSchemaMigrations(source, f.pendingSchemaMigrations()));
        for (Skeleton.Domain domain : source.skeleton().domains()) {
            results.addAll(certificate(domain, f, settings));
        }
        results.add(databasesReachable(f.databases()));
        if (f.strategy() == Strategy.LIVE && !f.recheck()) {
            results.add(logicalReplication(f.databases()));
            results.add(tablesReplicable(f.databases()));
        }
        if (f.strategy() != Strategy.MANUAL) {
            results.add(privileges(f));
            results.add(wayBack(f));
        }
        if (!f.recheck()) {
            results.add(estimate(source, f.strategy(), settings));
            results.add(source.running()
                    ? pass("source-running", "environment " + source.name() + " is running")
                    : warning("source-running", "environment " + source.name() + " is " + source.status()
                            + ": the target will be started from its release anyway"));
            if (f.strategy() == Strategy.MANUAL) {
                results.add(warning("data-manual", "strategy manual: Cutover moves no data, the target starts with empty databases"));
            }
        }
        return results;
    }

    /** The reason a migration is refused: every failed blocker's reason. */
    public static String refusal(List<CheckResult> results) {
        return String.join("; ", results.stream().filter(CheckResult::blocks).map(CheckResult::reason).toList());
    }

    private static CheckResult room(Environment source, Server target) {
        long databaseBytes = source.databases().stream().mapToLong(Environment.Database::sizeBytes).sum();
        long diskNeededMb = (long) Math.ceil(databaseBytes * DISK_MARGIN / (1024 * 1024));
        long memoryNeededMb = source.plan().memoryMb();
        Server.Capacity free = target.free();
        List<String> short_ = new ArrayList<>();
        if (free.environments() < 1) {
            short_.add("no environment slot left (all " + target.capacity().environments() + " taken)");
        }
        if (free.memoryMb() < memoryNeededMb) {
            short_.add("needs " + memoryNeededMb + " MB memory, " + free.memoryMb() + " MB free");
        }
        if (free.diskMb() < diskNeededMb) {
            short_.add("needs " + diskNeededMb + " MB disk for the databases plus 20 %, " + free.diskMb() + " MB free");
        }
        return short_.isEmpty()
                ? pass("target-has-room", "server " + target.name() + " has room: " + free.memoryMb() + " MB memory, "
                        + free.diskMb() + " MB disk, " + free.environments() + " environment slots free")
                : blocker("target-has-room", "server " + target.name() + " has no room: " + String.join("; ", short_));
    }

    private static CheckResult postgresVersion(Environment source, Server target) {
        if (target.postgresVersion() == null) {
            return blocker("target-postgres-version", "server " + target.name() + "'s PostgreSQL does not answer");
        }
        int targetMajor = major(target.postgresVersion());
        List<String> newer = source.databases().stream().filter(d -> "postgresql".equals(d.kind()))
                .filter(d -> major(d.version()) > targetMajor)
                .map(d -> "database " + d.name() + " is PostgreSQL " + d.version()).toList();
        return newer.isEmpty()
                ? pass("target-postgres-version", "server " + target.name() + " runs PostgreSQL " + target.postgresVersion()
                        + ", not older than the source's databases")
                : blocker("target-postgres-version", String.join(", ", newer) + " but server " + target.name()
                        + " runs PostgreSQL " + target.postgresVersion() + ": a database can't move to an older major version");
    }

    /**
     * PostgreSQL databases move everywhere; Redis ones to a server that runs Redis of the same or a newer version (a
     * newer Redis reads an older one's DUMP payloads and replication stream, an older one refuses a newer's).
     */
    private static CheckResult addonsAvailable(Environment source, Server target) {
        List<String> refused = new ArrayList<>();
        List<String> caches = new ArrayList<>();
        for (Environment.Database d : source.databases()) {
            if ("redis".equals(d.kind())) {
                if (target.redisVersion() == null) {
                    refused.add("Redis database " + d.name() + ": server " + target.name() + " runs no Redis");
                } else if (olderThan(target.redisVersion(), d.version())) {
                    refused.add("Redis database " + d.name() + " is Redis " + d.version() + " but server " + target.name() + " runs Redis "
                            + target.redisVersion() + ": a Redis database can't move to an older version");
                } else if (!target.redisPlans().containsKey(d.plan())) {
                    refused.add("Redis database " + d.name() + " has plan " + d.plan() + ", which server " + target.name()
                            + " does not offer (it offers " + String.join(", ", new java.util.TreeSet<>(target.redisPlans().keySet())) + ")");
                } else if (!"cache".equals(d.plan()) && d.sizeBytes() > target.redisPlans().get(d.plan()) * 1024 * 1024) {
                    // A store evicts nothing: on a target too small for it, the copy itself would fail.
                    refused.add("Redis store " + d.name() + " holds " + d.sizeBytes() / (1024 * 1024) + " MB, more than plan " + d.plan()
                            + "'s " + target.redisPlans().get(d.plan()) + " MB on " + target.name());
                } else if ("cache".equals(d.plan())) {
                    caches.add(d.name());
                }
            } else if (!"postgresql".equals(d.kind())) {
                refused.add(d.kind() + " database " + d.name() + " can't be moved to " + target.name() + " yet");
            }
        }
        if (!refused.isEmpty()) {
            return blocker("addons-available", String.join("; ", refused));
        }
        String all = "every addon (" + source.databases().stream().map(d -> d.name() + ": " + d.kind() + " " + d.plan())
                .collect(java.util.stream.Collectors.joining(", ")) + ") is available on " + target.name();
        return pass("addons-available", all + (caches.isEmpty() ? "" : "; Redis cache " + String.join(", ", caches)
                + " is not copied: the target's starts empty and is emptied again at the switch-over, as the runbook clears caches"));
    }

    /** Whether version {@code a} (major.minor[.patch]) is older than {@code b}. */
    private static boolean olderThan(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(2, Math.min(x.length, y.length)); i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c < 0;
            }
        }
        return false;
    }

    private static CheckResult pendingSchemaMigrations(Environment source, Facts.Probe<List<String>> pending) {
        if (!pending.ok()) {
            return source.running()
                    ? blocker("no-pending-schema-migrations", "could not ask " + source.name() + " for pending schema migrations: " + pending.error())
                    : warning("no-pending-schema-migrations", source.name() + " does not run, so its pending schema migrations are unknown");
        }
        return pending.value().isEmpty()
                ? pass("no-pending-schema-migrations", "no schema migration is pending on " + source.name())
                : blocker("no-pending-schema-migrations", source.name() + " has " + pending.value().size() + " pending schema migration"
                        + (pending.value().size() == 1 ? "" : "s") + " (" + String.join(", ", pending.value()) + "): run them before moving");
    }

    private static List<CheckResult> certificate(Skeleton.Domain domain, Facts f, Facts.Settings settings) {
        String id = "certificate:" + domain.hostname();
        Certificates.Verdict verdict = Certificates.judge(domain.hostname(), domain.certificatePem(), f.now(), settings.certificateMargin());
        List<CheckResult> results = new ArrayList<>();
        results.add(verdict.problems().isEmpty()
                ? pass(id, "certificate for " + domain.hostname() + " is valid until " + verdict.notAfter().toString().substring(0, 10))
                : blocker(id, String.join("; ", verdict.problems())));
        verdict.warnings().forEach(w -> results.add(warning(id + ":trust", w)));
        return results;
    }

    private static CheckResult databasesReachable(Map<String, Facts.Probe<Facts.DatabaseFacts>> databases) {
        List<String> unreachable = databases.entrySet().stream().filter(e -> !e.getValue().ok())
                .map(e -> "database " + e.getKey() + ": " + e.getValue().error()).toList();
        return unreachable.isEmpty()
                ? pass("databases-reachable", databases.size() + " database" + (databases.size() == 1 ? "" : "s") + " reachable")
                : blocker("databases-reachable", "can't reach " + String.join("; ", unreachable));
    }

    private static CheckResult logicalReplication(Map<String, Facts.Probe<Facts.DatabaseFacts>> databases) {
        List<String> missing = new ArrayList<>();
        databases.forEach((name, probe) -> {
            if (!probe.ok()) {
                return;
            }
            Facts.DatabaseFacts d = probe.value();
            if (!"logical".equals(d.walLevel())) {
                missing.add("database " + name + "'s server has wal_level=" + d.walLevel() + " (logical is needed)");
            }
            if (d.freeReplicationSlots() < 1) {
                missing.add("database " + name + "'s server has no free replication slot");
            }
            if (!d.mayReplicate()) {
                missing.add("database " + name + "'s user may not replicate");
            }
        });
        return missing.isEmpty()
                ? pass("logical-replication", "logical replication is possible from every database")
                : blocker("logical-replication", "live needs logical replication: " + String.join("; ", missing)
                        + " (or use the snapshot strategy)");
    }

    private static CheckResult tablesReplicable(Map<String, Facts.Probe<Facts.DatabaseFacts>> databases) {
        List<String> tables = new ArrayList<>();
        databases.forEach((name, probe) -> {
            if (probe.ok()) {
                probe.value().tablesWithoutIdentity().forEach(t -> tables.add(name + "." + t));
            }
        });
        return tables.isEmpty()
                ? pass("tables-replicable", "every table has a primary key or a replica identity")
                : blocker("tables-replicable", "live can't replicate updates and deletes of tables without a primary key or replica identity: "
                        + String.join(", ", tables) + " (add a primary key, set REPLICA IDENTITY FULL, or use the snapshot strategy)");
    }

    /**
     * What the move does as the environment's login, on every table, sequence and schema it does not own: the copy and
     * the verification read them; a live move publishes its tables, which takes their owner; the way back replays the
     * target's changes into the source's tables as their owner and sets the source's sequences.
     */
    private static CheckResult privileges(Facts f) {
        boolean live = f.strategy() == Strategy.LIVE;
        boolean wayBack = !f.oneWay();
        List<String> offenders = new ArrayList<>();
        f.databases().forEach((database, probe) -> {
            if (!probe.ok()) {
                return;
            }
            for (Facts.Unowned o : probe.value().unowned()) {
                String what = database + ": " + o.kind() + " " + o.name() + " (owned by " + o.owner() + ") ";
                if (!o.mayRead()) {
                    offenders.add(what + (o.kind().equals("schema") ? "has no USAGE" : "may not be read") + " for the login, so it can't be copied");
                } else if (o.kind().equals("table") && (live || wayBack)) {
                    offenders.add(what + (live ? "can't be published for the live replication: that takes its owner"
                            : "can't take the way back's changes: the replication writes as its owner"));
                } else if (o.kind().equals("sequence") && wayBack && !o.mayWrite()) {
                    offenders.add(what + "may not be set by the login, as a rollback does");
                }
            }
        });
        return offenders.isEmpty()
                ? pass("privileges", "the login owns, or may do what a " + f.strategy().name().toLowerCase() + " move needs on, every"
                        + " table, sequence and schema")
                : blocker("privileges", "the environment's login lacks what a " + f.strategy().name().toLowerCase()
                        + (wayBack ? " move with a way back" : " move") + " needs: " + String.join("; ", offenders)
                        + " (make the login their owner, ALTER ... OWNER TO, or a member of their owner"
                        + (live || wayBack ? "; or move with the snapshot strategy one way" : "; or grant SELECT and USAGE") + ")");
    }

    /**
     * The way back, proven before the way forward is taken: from the switch point each target database replicates to its
     * source, so the source's login must be able to subscribe and the target's server must offer logical replication with
     * a free slot per database. The target exists only from the recheck on, so its side is judged there, before the
     * freeze. A one-way move needs none of it.
     */
    private static CheckResult wayBack(Facts f) {
        List<String> missing = new ArrayList<>();
        int databases = f.databases().size();
        f.databases().forEach((name, probe) -> {
            if (probe.ok() && !probe.value().maySubscribe()) {
                missing.add("database " + name + "'s login may not create a subscription (needs pg_create_subscription, PostgreSQL 16+)");
            }
            if (probe.ok() && probe.value().freeApplyWorkers() < databases) {
                missing.add("database " + name + "'s server has " + probe.value().freeApplyWorkers() + " free logical replication"
                        + " workers, " + databases + " needed (raise max_logical_replication_workers)");
            }
        });
        int needed = f.targetDatabases().size();
        f.targetDatabases().forEach((name, probe) -> {
            if (!probe.ok()) {
                missing.add("target database " + name + " can't be reached: " + probe.error());
                return;
            }
            Facts.DatabaseFacts d = probe.value();
            if (!"logical".equals(d.walLevel())) {
                missing.add("target database " + name + "'s server has wal_level=" + d.walLevel() + " (logical is needed)");
            }
            if (d.freeReplicationSlots() < needed) {
                missing.add("target database " + name + "'s server has " + d.freeReplicationSlots() + " free replication slot"
                        + (d.freeReplicationSlots() == 1 ? "" : "s") + ", " + needed + " needed");
            }
            if (!d.mayReplicate()) {
                missing.add("target database " + name + "'s login may not replicate");
            }
        });
        String id = "way-back";
        if (missing.isEmpty()) {
            return f.recheck()
                    ? pass(id, "the way back is ready: from the switch point every target database replicates to its source")
                    : pass(id, "every source database may subscribe to its target; the target's side is checked before the freeze");
        }
        String reason = "no way back after the switch-over: " + String.join("; ", missing);
        return f.oneWay()
                ? warning(id, reason + " (accepted: the move is one way; a rollback would copy the target back inside its freeze)")
                : blocker(id, reason + " (fix it, or move one way with oneWay)");
    }

    private static CheckResult estimate(Environment source, Strategy strategy, Facts.Settings settings) {
        long bytes = source.databases().stream().mapToLong(Environment.Database::sizeBytes).sum();
        double seconds = bytes / (settings.copyMegabytesPerSecond() * 1024 * 1024);
        String freeze = switch (strategy) {
            case LIVE, SNAPSHOT -> "expected freeze about " + Math.max(1, Math.round(seconds * 1000)) + " ms (the final copy)";
            case MANUAL -> "no data is copied";
        };
        return new CheckResult("estimate", Severity.WARNING, Outcome.PASS, String.format(
                "%.1f MB to copy, about %.1f s at %.0f MB/s; %s", bytes / (1024.0 * 1024), seconds, settings.copyMegabytesPerSecond(), freeze));
    }

    static int major(String version) {
        try {
            return Integer.parseInt(version.split("\\.")[0].trim());
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
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
