package dev.cutover.contracts;

import java.util.List;

/** The topic catalogue. Every message is keyed by migration id (requests: by environment), so one migration stays in order. */
public final class Topics {
    /** Portal → orchestrator: {@code MigrationRequested}, {@code MigrationConfirmed}. */
    public static final String MIGRATION_REQUESTS = "cutover.migration-requests";
    /** Orchestrator → preflight-service. */
    public static final String PREFLIGHT_COMMANDS = "cutover.preflight.commands";
    /** Orchestrator → provisioning-service. */
    public static final String PROVISIONING_COMMANDS = "cutover.provisioning.commands";
    /** Orchestrator → data-sync-service. */
    public static final String DATA_SYNC_COMMANDS = "cutover.data-sync.commands";
    /** Orchestrator → traffic-service. */
    public static final String TRAFFIC_COMMANDS = "cutover.traffic.commands";
    /** Every service → orchestrator: the facts of each step (started, progressed, completed, failed, compensated). */
    public static final String STEP_EVENTS = "cutover.step-events";
    /** The public progress stream for dashboards: every migration's state changes and step progress. */
    public static final String MIGRATION_PROGRESS = "cutover.migration-progress";
    /** Messages no consumer could handle, with the reason in the {@code dead-letter-reason} header. */
    public static final String DEAD_LETTERS = "cutover.dead-letters";

    public static final List<String> ALL = List.of(MIGRATION_REQUESTS, PREFLIGHT_COMMANDS, PROVISIONING_COMMANDS,
            DATA_SYNC_COMMANDS, TRAFFIC_COMMANDS, STEP_EVENTS, MIGRATION_PROGRESS, DEAD_LETTERS);

    private Topics() {
    }
}
