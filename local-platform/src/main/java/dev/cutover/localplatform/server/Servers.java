package dev.cutover.localplatform.server;

import dev.cutover.localplatform.environment.EnvironmentEntity;
import dev.cutover.localplatform.environment.PostgresAdmin;
import dev.cutover.localplatform.environment.RedisAdmin;
import dev.cutover.platform.PlatformException;
import dev.cutover.platform.Server;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.Map;

/** Servers and what is left of their capacity. */
@ApplicationScoped
public class Servers {

    @Inject
    PostgresAdmin postgres;

    @Inject
    RedisAdmin redis;

    /** How old a server's disk use may be: summing every database's size walks every file of every database. */
    @ConfigProperty(name = "local-platform.disk-use-refresh", defaultValue = "5s")
    Duration diskUseRefresh;

    private record DiskUse(long measuredAt, long usedMb) {
    }

    private final Map<String, DiskUse> diskUse = new ConcurrentHashMap<>();

    @Transactional
    public Server register(String name, ServerRegistration r) {
        if (r == null || blank(r.region()) || blank(r.postgresHost()) || r.postgresPort() == null || r.capacity() == null) {
            throw new PlatformException(422, "a server needs region, postgresHost, postgresPort and capacity");
        }
        if (!dev.cutover.platform.Names.valid(name)) {
            throw new PlatformException(422, "server name '" + name + "' must be lower-case letters, digits and dashes");
        }
        ServerEntity s = ServerEntity.findById(name);
        if (s == null) {
            s = new ServerEntity();
            s.name = name;
        }
        s.region = r.region();
        s.online = r.online() == null || r.online();
        s.postgresHost = r.postgresHost();
        s.postgresPort = r.postgresPort();
        s.memoryMb = r.capacity().memoryMb();
        s.diskMb = r.capacity().diskMb();
        s.maxEnvironments = r.capacity().environments();
        s.declaredPostgresVersion = r.declaredPostgresVersion();
        s.persist();
        return view(s);
    }

    @Transactional
    public Server setOnline(String name, boolean online) {
        ServerEntity s = get(name);
        s.online = online;
        return view(s);
    }

    @Transactional
    public List<Server> all() {
        return ServerEntity.<ServerEntity>listAll().stream().map(this::view).toList();
    }

    @Transactional
    public Server one(String name) {
        return view(get(name));
    }

    public static ServerEntity get(String name) {
        ServerEntity s = ServerEntity.findById(name);
        if (s == null) {
            throw new PlatformException(404, "unknown server '" + name + "'");
        }
        return s;
    }

    private Server view(ServerEntity s) {
        // Only the two columns it sums, not the entities: a server holds thousands of environments.
        List<Object[]> envs = EnvironmentEntity.getEntityManager()
                .createQuery("select e.planSize, e.databases from EnvironmentEntity e where e.server = ?1", Object[].class)
                .setParameter(1, s.name).getResultList();
        long usedMemory = envs.stream().mapToLong(e -> EnvironmentEntity.PLAN_MEMORY_MB.getOrDefault((String) e[0], 0L)).sum();
        @SuppressWarnings("unchecked")
        List<String> databases = envs.stream().flatMap(e -> ((List<EnvironmentEntity.StoredDatabase>) e[1]).stream())
                .filter(d -> !d.redis()).map(EnvironmentEntity.StoredDatabase::databaseName).toList();
        long usedDiskMb = 0;
        String version = null;
        if (s.online) {
            try {
                DiskUse known = diskUse.get(s.name);
                if (known == null || System.nanoTime() - known.measuredAt() > diskUseRefresh.toNanos()) {
                    known = new DiskUse(System.nanoTime(),
                            postgres.sizeBytes(s, databases).values().stream().mapToLong(Long::longValue).sum() / (1024 * 1024));
                    diskUse.put(s.name, known);
                }
                usedDiskMb = known.usedMb();
                version = postgres.version(s);
            } catch (PlatformException unreachable) {
                // A server whose PostgreSQL doesn't answer is still shown (and can be registered): without a version.
            }
        }
        Server.Capacity capacity = new Server.Capacity(s.memoryMb, s.diskMb, s.maxEnvironments);
        Server.Capacity free = new Server.Capacity(s.memoryMb - usedMemory, s.diskMb - usedDiskMb, s.maxEnvironments - envs.size());
        return new Server(s.name, s.region, s.online, capacity, free,
                version != null && s.declaredPostgresVersion != null ? s.declaredPostgresVersion : version,
                s.online ? redis.version().orElse(null) : null, redis.version().isPresent() ? RedisAdmin.PLAN_MEMORY_MB : Map.of());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
