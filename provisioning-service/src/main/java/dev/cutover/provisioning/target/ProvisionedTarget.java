package dev.cutover.provisioning.target;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** A target environment this service created for a migration: the only kind its compensation destroys. */
@Entity
@Table(name = "provisioned_target")
public class ProvisionedTarget extends PanacheEntityBase {
    @Id
    @Column(name = "migration_id")
    public UUID migrationId;
    @Column(name = "target_name")
    public String targetName;
    @Column(name = "source_name")
    public String sourceName;
}
