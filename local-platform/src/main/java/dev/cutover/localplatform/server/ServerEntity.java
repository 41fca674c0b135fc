package dev.cutover.localplatform.server;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "server")
public class ServerEntity extends PanacheEntityBase {
    @Id
    public String name;
    public String region;
    public boolean online;
    @Column(name = "postgres_host")
    public String postgresHost;
    @Column(name = "postgres_port")
    public int postgresPort;
    @Column(name = "memory_mb")
    public long memoryMb;
    @Column(name = "disk_mb")
    public long diskMb;
    @Column(name = "max_environments")
    public int maxEnvironments;
    @Column(name = "declared_postgres_version")
    public String declaredPostgresVersion;

    public String adminJdbcUrl() {
        return "jdbc:postgresql://" + postgresHost + ":" + postgresPort + "/postgres";
    }
}
