package dev.cutover.orchestrator.migration;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One progress report's figures at the time it arrived: a point of the dashboard's charts. */
@Entity
@Table(name = "migration_sample")
public class MigrationSample extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "migration_id")
    public UUID migrationId;
    public String step;
    /** The database or addon the figures are about; null for the whole step. */
    public String part;
    public OffsetDateTime at;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Long> figures = new HashMap<>();
}
