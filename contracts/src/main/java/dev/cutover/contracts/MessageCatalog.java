package dev.cutover.contracts;

import dev.cutover.contracts.datasync.AwaitCatchUp;
import dev.cutover.contracts.datasync.CatchUpFailed;
import dev.cutover.contracts.datasync.DataSyncCompensated;
import dev.cutover.contracts.datasync.EndWayBack;
import dev.cutover.contracts.datasync.FinalSyncCompensated;
import dev.cutover.contracts.datasync.SwitchPointVerified;
import dev.cutover.contracts.datasync.UndoFinalSync;
import dev.cutover.contracts.datasync.DataSyncFailed;
import dev.cutover.contracts.datasync.DataSynced;
import dev.cutover.contracts.datasync.SyncData;
import dev.cutover.contracts.datasync.TargetVerified;
import dev.cutover.contracts.datasync.UndoSyncData;
import dev.cutover.contracts.datasync.VerificationFailed;
import dev.cutover.contracts.datasync.VerifyTarget;
import dev.cutover.contracts.datasync.WayBackEnded;
import dev.cutover.contracts.datasync.PauseReplication;
import dev.cutover.contracts.datasync.ReplicationCaughtUp;
import dev.cutover.contracts.datasync.ReplicationPaused;
import dev.cutover.contracts.datasync.ReplicationResumed;
import dev.cutover.contracts.datasync.ResumeReplication;
import dev.cutover.contracts.datasync.WalRetentionExceeded;
import dev.cutover.contracts.migration.CleanupFailed;
import dev.cutover.contracts.migration.CompensationFailed;
import dev.cutover.contracts.migration.MigrationConfirmed;
import dev.cutover.contracts.migration.MigrationRequested;
import dev.cutover.contracts.migration.MigrationStale;
import dev.cutover.contracts.migration.MigrationWarned;
import dev.cutover.contracts.migration.MigrationStateChanged;
import dev.cutover.contracts.migration.MigrationStepProgressed;
import dev.cutover.contracts.migration.StepProgressed;
import dev.cutover.contracts.migration.StepStarted;
import dev.cutover.contracts.preflight.PreflightCompleted;
import dev.cutover.contracts.preflight.PreflightFailed;
import dev.cutover.contracts.preflight.RunPreflight;
import dev.cutover.contracts.provisioning.CompleteMigration;
import dev.cutover.contracts.provisioning.CompletionCompensated;
import dev.cutover.contracts.provisioning.ProvisionTarget;
import dev.cutover.contracts.provisioning.ProvisioningCompensated;
import dev.cutover.contracts.provisioning.PromotionFailed;
import dev.cutover.contracts.provisioning.ProvisioningFailed;
import dev.cutover.contracts.provisioning.TargetPromoted;
import dev.cutover.contracts.provisioning.TargetProvisioned;
import dev.cutover.contracts.provisioning.UndoCompleteMigration;
import dev.cutover.contracts.provisioning.UndoProvisionTarget;
import dev.cutover.contracts.traffic.HoldTraffic;
import dev.cutover.contracts.traffic.UndoHoldTraffic;
import dev.cutover.contracts.traffic.SwitchTraffic;
import dev.cutover.contracts.traffic.TrafficHeld;
import dev.cutover.contracts.traffic.TrafficHoldCompensated;
import dev.cutover.contracts.traffic.TrafficSwitchCompensated;
import dev.cutover.contracts.traffic.TrafficHoldFailed;
import dev.cutover.contracts.traffic.TrafficSwitchFailed;
import dev.cutover.contracts.traffic.TrafficSwitched;
import dev.cutover.contracts.traffic.UndoSwitchTraffic;
import dev.cutover.contracts.traffic.EndForwarding;
import dev.cutover.contracts.traffic.ForwardingEnded;
import dev.cutover.contracts.provisioning.RetireSource;
import dev.cutover.contracts.provisioning.SourceRetired;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every message type: its CloudEvents type, its record and the topic it travels on. */
public final class MessageCatalog {

    /** One message type. The CloudEvents type ends in {@code .v}{@link #SCHEMA_VERSION}. */
    public record Entry(String type, Class<? extends Message> payload, String topic) {
    }

    public static final String SCHEMA_VERSION = "1";

    private static final List<Entry> ENTRIES = List.of(
            entry("migration.requested", MigrationRequested.class, Topics.MIGRATION_REQUESTS),
            entry("migration.confirmed", MigrationConfirmed.class, Topics.MIGRATION_REQUESTS),
            entry("migration.state-changed", MigrationStateChanged.class, Topics.MIGRATION_PROGRESS),
            entry("migration.step-progressed", MigrationStepProgressed.class, Topics.MIGRATION_PROGRESS),
            entry("migration.stale", MigrationStale.class, Topics.MIGRATION_PROGRESS),
            entry("migration.warned", MigrationWarned.class, Topics.MIGRATION_PROGRESS),
            entry("step.started", StepStarted.class, Topics.STEP_EVENTS),
            entry("step.progressed", StepProgressed.class, Topics.STEP_EVENTS),
            entry("step.compensation-failed", CompensationFailed.class, Topics.STEP_EVENTS),
            entry("step.cleanup-failed", CleanupFailed.class, Topics.STEP_EVENTS),
            entry("preflight.run", RunPreflight.class, Topics.PREFLIGHT_COMMANDS),
            entry("preflight.completed", PreflightCompleted.class, Topics.STEP_EVENTS),
            entry("preflight.failed", PreflightFailed.class, Topics.STEP_EVENTS),
            entry("provisioning.provision-target", ProvisionTarget.class, Topics.PROVISIONING_COMMANDS),
            entry("provisioning.target-provisioned", TargetProvisioned.class, Topics.STEP_EVENTS),
            entry("provisioning.failed", ProvisioningFailed.class, Topics.STEP_EVENTS),
            entry("provisioning.undo-provision-target", UndoProvisionTarget.class, Topics.PROVISIONING_COMMANDS),
            entry("provisioning.compensated", ProvisioningCompensated.class, Topics.STEP_EVENTS),
            entry("provisioning.complete-migration", CompleteMigration.class, Topics.PROVISIONING_COMMANDS),
            entry("provisioning.target-promoted", TargetPromoted.class, Topics.STEP_EVENTS),
            entry("provisioning.promotion-failed", PromotionFailed.class, Topics.STEP_EVENTS),
            entry("provisioning.undo-complete-migration", UndoCompleteMigration.class, Topics.PROVISIONING_COMMANDS),
            entry("provisioning.completion-compensated", CompletionCompensated.class, Topics.STEP_EVENTS),
            entry("provisioning.retire-source", RetireSource.class, Topics.PROVISIONING_COMMANDS),
            entry("provisioning.source-retired", SourceRetired.class, Topics.STEP_EVENTS),
            entry("datasync.sync-data", SyncData.class, Topics.DATA_SYNC_COMMANDS),
            entry("datasync.synced", DataSynced.class, Topics.STEP_EVENTS),
            entry("datasync.failed", DataSyncFailed.class, Topics.STEP_EVENTS),
            entry("datasync.verify-target", VerifyTarget.class, Topics.DATA_SYNC_COMMANDS),
            entry("datasync.target-verified", TargetVerified.class, Topics.STEP_EVENTS),
            entry("datasync.verification-failed", VerificationFailed.class, Topics.STEP_EVENTS),
            entry("datasync.wal-retention-exceeded", WalRetentionExceeded.class, Topics.STEP_EVENTS),
            entry("datasync.await-catch-up", AwaitCatchUp.class, Topics.DATA_SYNC_COMMANDS),
            entry("datasync.caught-up", ReplicationCaughtUp.class, Topics.STEP_EVENTS),
            entry("datasync.catch-up-failed", CatchUpFailed.class, Topics.STEP_EVENTS),
            entry("datasync.undo-sync-data", UndoSyncData.class, Topics.DATA_SYNC_COMMANDS),
            entry("datasync.compensated", DataSyncCompensated.class, Topics.STEP_EVENTS),
            entry("datasync.undo-final-sync", UndoFinalSync.class, Topics.DATA_SYNC_COMMANDS),
            entry("datasync.final-sync-compensated", FinalSyncCompensated.class, Topics.STEP_EVENTS),
            entry("datasync.switch-point-verified", SwitchPointVerified.class, Topics.STEP_EVENTS),
            entry("datasync.end-way-back", EndWayBack.class, Topics.DATA_SYNC_COMMANDS),
            entry("datasync.way-back-ended", WayBackEnded.class, Topics.STEP_EVENTS),
            entry("datasync.pause-replication", PauseReplication.class, Topics.DATA_SYNC_COMMANDS),
            entry("datasync.replication-paused", ReplicationPaused.class, Topics.STEP_EVENTS),
            entry("datasync.resume-replication", ResumeReplication.class, Topics.DATA_SYNC_COMMANDS),
            entry("datasync.replication-resumed", ReplicationResumed.class, Topics.STEP_EVENTS),
            entry("traffic.hold-traffic", HoldTraffic.class, Topics.TRAFFIC_COMMANDS),
            entry("traffic.held", TrafficHeld.class, Topics.STEP_EVENTS),
            entry("traffic.undo-hold-traffic", UndoHoldTraffic.class, Topics.TRAFFIC_COMMANDS),
            entry("traffic.hold-compensated", TrafficHoldCompensated.class, Topics.STEP_EVENTS),
            entry("traffic.switch-traffic", SwitchTraffic.class, Topics.TRAFFIC_COMMANDS),
            entry("traffic.switched", TrafficSwitched.class, Topics.STEP_EVENTS),
            entry("traffic.hold-failed", TrafficHoldFailed.class, Topics.STEP_EVENTS),
            entry("traffic.switch-failed", TrafficSwitchFailed.class, Topics.STEP_EVENTS),
            entry("traffic.undo-switch-traffic", UndoSwitchTraffic.class, Topics.TRAFFIC_COMMANDS),
            entry("traffic.compensated", TrafficSwitchCompensated.class, Topics.STEP_EVENTS),
            entry("traffic.end-forwarding", EndForwarding.class, Topics.TRAFFIC_COMMANDS),
            entry("traffic.forwarding-ended", ForwardingEnded.class, Topics.STEP_EVENTS));

    /**
     * Types renamed within this schema version (to name every compensation one way), still read but never written until
     * the next version: a message sent by a service not yet upgraded, or waiting in a topic, is understood.
     */
    private static final Map<String, Class<? extends Message>> FORMERLY = Map.of(
            "traffic.release-traffic", UndoHoldTraffic.class,
            "traffic.released", TrafficHoldCompensated.class);

    private static final Map<String, Entry> BY_TYPE = new LinkedHashMap<>();
    private static final Map<Class<?>, Entry> BY_CLASS = new LinkedHashMap<>();

    static {
        for (Entry e : ENTRIES) {
            BY_TYPE.put(e.type(), e);
            BY_CLASS.put(e.payload(), e);
        }
        FORMERLY.forEach((name, payload) -> BY_TYPE.put(entry(name, payload, null).type(), BY_CLASS.get(payload)));
    }

    private MessageCatalog() {
    }

    private static Entry entry(String name, Class<? extends Message> payload, String topic) {
        return new Entry("dev.cutover." + name + ".v" + SCHEMA_VERSION, payload, topic);
    }

    public static List<Entry> entries() {
        return ENTRIES;
    }

    public static Optional<Entry> byType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    public static Entry of(Class<?> payload) {
        Entry e = BY_CLASS.get(payload);
        if (e == null) {
            throw new IllegalArgumentException(payload.getName() + " is not in the message catalogue");
        }
        return e;
    }
}
