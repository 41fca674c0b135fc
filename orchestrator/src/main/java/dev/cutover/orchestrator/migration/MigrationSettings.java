package dev.cutover.orchestrator.migration;

import dev.cutover.contracts.Step;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;

/** The orchestrator's knobs for running migrations, in groups (defaults and comments: application.properties, README). */
@ConfigMapping(prefix = "cutover")
public interface MigrationSettings {

    Freeze freeze();

    Retry retry();

    /** A step's time limit by its label ({@code cutover.step-timeout.final-sync}); {@code default} for every other step. */
    Map<String, Duration> stepTimeout();

    /** How long after completion a migration can be rolled back. */
    @WithName("rollback.window")
    Duration rollbackWindow();

    /** How long a completed migration keeps its source (and the old address forwards) before it is finalized. */
    Duration retention();

    /** How long a migration waits for its confirmation before it is flagged stale. */
    Duration staleAfter();

    /** The downtime budget: what a {@code live} migration may freeze, and what its freeze costs besides the catch-up. */
    interface Freeze {

        /** The default budget of a migration that names none. */
        Duration budget();

        /** Holding, fencing and switching: added to the catch-up to predict the freeze. */
        Duration overhead();
    }

    /** A failing compensation or post-switch step is tried {@code attempts} times in all, {@code backoff} doubling between. */
    interface Retry {

        int attempts();

        Duration backoff();
    }

    default Duration timeout(Step step) {
        return stepTimeout().getOrDefault(step.label(), stepTimeout().get("default"));
    }
}
