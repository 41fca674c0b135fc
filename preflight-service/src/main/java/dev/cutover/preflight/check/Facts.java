package dev.cutover.preflight.check;

import dev.cutover.contracts.Strategy;
import dev.cutover.platform.Environment;
import dev.cutover.platform.Server;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the checks judge ({@code targetDatabases}: the target's, on a recheck, once the migration made them), gathered from the platform and the source's databases before any check runs, so the
 * checks themselves are plain logic. A {@link Probe} holds a value or the reason it could not be had.
 */
public record Facts(
        String environmentName,
        Optional<Environment> source,
        String targetName,
        Optional<Server> target,
        Strategy strategy,
        boolean recheck,
        boolean oneWay,
        Probe<List<String>> pendingSchemaMigrations,
        Map<String, Probe<DatabaseFacts>> databases,
        Map<String, Probe<DatabaseFacts>> targetDatabases,
        Instant now) {

    public record Probe<T>(T value, String error) {
        public static <T> Probe<T> of(T value) {
            return new Probe<>(value, null);
        }

        public static <T> Probe<T> failed(String error) {
            return new Probe<>(null, error);
        }

        public boolean ok() {
            return error == null;
        }
    }

    /**
     * What one database says about itself: for the way forward (replication from it) and the way back (its login may
     * subscribe to the other side).
     */
    public record DatabaseFacts(String walLevel, int freeReplicationSlots, boolean mayReplicate, boolean maySubscribe,
                                int freeApplyWorkers, List<String> tablesWithoutIdentity, List<Unowned> unowned) {
    }

    /**
     * A table, sequence or schema the environment's login neither owns nor is a member of its owner: whether it may read
     * it (SELECT; a schema's USAGE) and write it (a table's INSERT, UPDATE and DELETE; a sequence's UPDATE).
     */
    public record Unowned(String kind, String name, String owner, boolean mayRead, boolean mayWrite) {
    }

    /** Tunables of the checks. */
    public record Settings(java.time.Duration certificateMargin, double copyMegabytesPerSecond) {
    }
}
