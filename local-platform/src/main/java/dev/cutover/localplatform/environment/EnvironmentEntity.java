package dev.cutover.localplatform.environment;

import dev.cutover.platform.Skeleton;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "environment")
public class EnvironmentEntity extends PanacheEntityBase {

    /** Memory each plan size takes on its server, in MB. */
    public static final Map<String, Long> PLAN_MEMORY_MB = Map.of("S", 256L, "M", 512L, "L", 1024L);

    @Id
    public String name;
    public String owner;
    public String server;
    @Column(name = "plan_size")
    public String planSize;
    @Column(name = "plan_ha")
    public boolean planHa;
    public String release;
    public String status = "stopped";
    public Integer port;
    public Long pid;
    public boolean maintenance;
    public boolean frozen;
    @Column(name = "protected")
    public boolean isProtected;
    @Column(name = "is_default")
    public boolean isDefault;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Integer> formation = new LinkedHashMap<>();
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> settings = new LinkedHashMap<>();
    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> notifiers = new ArrayList<>();
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "log_drains")
    public List<String> logDrains = new ArrayList<>();
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Skeleton.Autoscaler> autoscalers = new ArrayList<>();
    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> collaborators = new ArrayList<>();
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "env_vars")
    public Map<String, String> envVars = new LinkedHashMap<>();
    @JdbcTypeCode(SqlTypes.JSON)
    public List<StoredDomain> domains = new ArrayList<>();
    @JdbcTypeCode(SqlTypes.JSON)
    public List<StoredDatabase> databases = new ArrayList<>();

    public long memoryMb() {
        return PLAN_MEMORY_MB.getOrDefault(planSize, 0L);
    }

    /** A domain with its certificate chain and private key (a secret). */
    public record StoredDomain(String hostname, String certificatePem, String privateKeyPem) {
    }

    /**
     * A database addon and its login (the passwords are secrets). A Redis addon also has its own server's port and the
     * password of the platform's user on it; both are {@code null} for PostgreSQL.
     */
    public record StoredDatabase(String name, String kind, String plan, String version, String databaseName, String user,
                                 String password, Integer port, String adminPassword) {
        public boolean redis() {
            return "redis".equals(kind);
        }
    }
}
