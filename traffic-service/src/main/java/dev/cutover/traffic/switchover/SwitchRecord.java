package dev.cutover.traffic.switchover;

import dev.cutover.platform.router.HostnameRoute;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The routes as they were before a migration's switch-over: what a rollback restores. */
@Entity
@Table(name = "switch_record")
public class SwitchRecord extends PanacheEntityBase {
    @Id
    @Column(name = "migration_id")
    public UUID migrationId;
    public String environment;
    public String target;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<HostnameRoute> previous;
}
