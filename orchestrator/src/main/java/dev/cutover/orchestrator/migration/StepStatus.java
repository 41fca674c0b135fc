package dev.cutover.orchestrator.migration;

import java.util.Locale;

/** A step record's status, as the API, the dashboard and the CLI show it. */
public enum StepStatus {
    PENDING, DISPATCHED, RUNNING, COMPLETED, FAILED, COMPENSATING, COMPENSATED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean finished() {
        return this == COMPLETED || this == FAILED || this == COMPENSATED;
    }
}
