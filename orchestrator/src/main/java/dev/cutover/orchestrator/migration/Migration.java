package dev.cutover.orchestrator.migration;

import dev.cutover.contracts.Strategy;
import dev.cutover.orchestrator.saga.MigrationFacts;
import dev.cutover.orchestrator.saga.MigrationState;
import dev.cutover.orchestrator.saga.SagaPosition;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import java.util.UUID;

/** The migration aggregate. */
@Entity
@Table(name = "migration")
public class Migration extends PanacheEntityBase {
    @Id
    public UUID id;
    public String environment;
    /** Whose migration it is (see V1_11); only callers of this tenant, or of every tenant, see it. */
    public String tenant;
    @Column(name = "target_server")
    public String targetServer;
    @Column(name = "target_name")
    public String targetName;
    @Enumerated(EnumType.STRING)
    public Strategy strategy;
    @Column(name = "auto_confirm")
    public boolean autoConfirm;
    @Column(name = "requested_by")
    public String requestedBy;
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    @Enumerated(EnumType.STRING)
    public MigrationState state;
    @Column(name = "step_index")
    public int stepIndex;
    @Enumerated(EnumType.STRING)
    @Column(name = "outcome_after_compensation")
    public MigrationState outcomeAfterCompensation;
    public String reason;
    public String traceparent;
    @Column(name = "step_deadline")
    public OffsetDateTime stepDeadline;
    @Column(name = "awaiting_since")
    public OffsetDateTime awaitingSince;
    @Column(name = "stale_at")
    public OffsetDateTime staleAt;
    @Column(name = "freeze_budget_millis")
    public long freezeBudgetMillis;
    /** The freeze last predicted from the replication lag (live), or {@code null} before the first measurement. */
    @Column(name = "predicted_freeze_millis")
    public Long predictedFreezeMillis;
    /** Moved without a way back: no reverse replication from the switch point. */
    @Column(name = "one_way")
    public boolean oneWay;
    /** How often the failing action (a compensation, or a step after the switch-over) was tried; 0 when nothing fails. */
    public int attempts;
    /** When it is tried again ({@code null}: no retry pending). */
    @Column(name = "retry_at")
    public OffsetDateTime retryAt;
    /** The bound on attempts ({@code cutover.retry.attempts} when the migration was created). */
    @Column(name = "max_attempts")
    public int maxAttempts;
    /** Until when a completed migration can roll back (the way back runs); {@code null} for a one-way move. */
    @Column(name = "rollback_until")
    public OffsetDateTime rollbackUntil;

    /** Set once the rollback window ended and the way back was removed: rollback is refused from then on. */
    @Column(name = "way_back_ended")
    public boolean wayBackEnded;

    /** When a completed migration is finalized ({@code cutover.retention} after completion): its source is removed. */
    @Column(name = "finalize_at")
    public OffsetDateTime finalizeAt;

    /** The switch-over window: from {@code switchOverAt} (until {@code switchOverUntil}, if set) it confirms itself. */
    @Column(name = "switch_over_at")
    public OffsetDateTime switchOverAt;
    @Column(name = "switch_over_until")
    public OffsetDateTime switchOverUntil;
    /** Set once the window ended before the migration was ready: it then waits for a person. */
    @Column(name = "window_passed")
    public boolean windowPassed;

    /** The environment's notifiers that are told of this migration's milestones, read when it was created. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> notifiers;
    /** The user forced the switch-over past the budget. */
    public boolean forced;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public MigrationFacts facts() {
        return new MigrationFacts(new MigrationFacts.Move(id, environment, tenant, targetServer, targetName, strategy, oneWay),
                new MigrationFacts.Gate(autoConfirm, switchOverAt, switchOverUntil, freezeBudgetMillis, predictedFreezeMillis, forced),
                new MigrationFacts.Tries(attempts, maxAttempts), wayBackEnded);
    }

    public SagaPosition position() {
        return new SagaPosition(state, stepIndex, outcomeAfterCompensation);
    }
}
