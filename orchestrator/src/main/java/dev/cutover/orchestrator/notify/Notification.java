package dev.cutover.orchestrator.notify;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One milestone of a migration, to be told to one notifier. */
@Entity
@Table(name = "notification")
public class Notification extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "migration_id")
    public UUID migrationId;
    public String notifier;
    public String milestone;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> body;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    public int attempts;
    @Column(name = "next_at")
    public OffsetDateTime nextAt;
    @Column(name = "delivered_at")
    public OffsetDateTime deliveredAt;
    @Column(name = "gave_up_at")
    public OffsetDateTime gaveUpAt;
    @Column(name = "last_error")
    public String lastError;
}
