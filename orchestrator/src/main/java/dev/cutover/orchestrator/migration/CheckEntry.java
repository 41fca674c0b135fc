package dev.cutover.orchestrator.migration;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** One preflight check's result, as reported for a migration. */
@Entity
@Table(name = "migration_check")
public class CheckEntry extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "migration_id")
    public UUID migrationId;
    @Column(name = "check_id")
    public String checkId;
    public String severity;
    public String outcome;
    public String reason;
}
