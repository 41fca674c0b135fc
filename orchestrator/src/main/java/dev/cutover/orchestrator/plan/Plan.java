package dev.cutover.orchestrator.plan;

import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.preflight.CheckResult;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A dry run: what preflight says of a migration, without creating it. */
@Entity
@Table(name = "plan")
public class Plan extends PanacheEntityBase {
    @Id
    public UUID id;
    public String environment;
    @Column(name = "target_server")
    public String targetServer;
    @Column(name = "target_name")
    public String targetName;
    @Enumerated(EnumType.STRING)
    public Strategy strategy;
    /** Planned without a way back. */
    @Column(name = "one_way")
    public boolean oneWay;
    /** The switch-over window asked for, if any. */
    @Column(name = "switch_over_at")
    public OffsetDateTime switchOverAt;
    @Column(name = "switch_over_until")
    public OffsetDateTime switchOverUntil;
    /** {@code checking}, then {@code planned} or {@code refused}. */
    public String state;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<CheckResult> checks;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
