package dev.cutover.localplatform.environment;

import dev.cutover.localplatform.release.AppProcesses;
import dev.cutover.localplatform.server.ServerEntity;
import dev.cutover.localplatform.server.Servers;
import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.Environment;
import dev.cutover.platform.NewEnvironment;
import dev.cutover.platform.PlatformException;
import dev.cutover.platform.Server;
import dev.cutover.platform.Skeleton;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;

/** The environments of the local platform. Every operation is idempotent: repeating it changes nothing. */
@ApplicationScoped
public class Environments {

    private static final Logger LOG = Logger.getLogger(Environments.class);
    private static final Set<String> FLAGS = Set.of("maintenance", "frozen", "protected", "default");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Servers servers;

    @Inject
    PostgresAdmin postgres;

    @Inject
    RedisAdmin redis;

    @Inject
    AppProcesses apps;

    /** Redis addons serve again, and environments that were running when the platform stopped run again. */
    @Transactional
    void restartRunning(@Observes StartupEvent ignored) {
        for (EnvironmentEntity e : EnvironmentEntity.<EnvironmentEntity>listAll()) {
            for (EnvironmentEntity.StoredDatabase db : e.databases) {
                if (db.redis()) {
                    try {
                        redis.ensureRunning(db);
                    } catch (PlatformException ex) {
                        LOG.warnf("Redis %s of %s could not be restarted: %s", db.name(), e.name, ex.getMessage());
                    }
                }
            }
        }
        for (EnvironmentEntity e : EnvironmentEntity.<EnvironmentEntity>list("status", "running")) {
            if (!apps.alive(e.name, e.pid)) {
                try {
                    run(e);
                } catch (PlatformException ex) {
                    LOG.warnf("environment %s could not be restarted: %s", e.name, ex.getMessage());
                    e.status = "crashed";
                }
            }
        }
    }

    @Transactional
    public List<Environment> list(String server) {
        List<EnvironmentEntity> all = server == null ? EnvironmentEntity.listAll() : EnvironmentEntity.list("server", server);
        return all.stream().map(this::view).toList();
    }

    @Transactional
    public Environment one(String name) {
        return view(get(name));
    }

    @Transactional
    public Environment create(NewEnvironment spec) {
        if (spec == null || !dev.cutover.platform.Names.valid(spec.name())) {
            throw new PlatformException(422, "an environment name is lower-case letters, digits and dashes, starting with a letter");
        }
        if (spec.owner() == null || spec.owner().isBlank()) {
            throw new PlatformException(422, "an environment needs an owner");
        }
        Environment.Plan plan = spec.plan() == null ? new Environment.Plan("S", false, 0) : spec.plan();
        if (!EnvironmentEntity.PLAN_MEMORY_MB.containsKey(plan.size())) {
            throw new PlatformException(422, "unknown plan size '" + plan.size() + "' (known: S, M, L)");
        }
        EnvironmentEntity existing = EnvironmentEntity.findById(spec.name());
        if (existing != null) {
            if (existing.owner.equals(spec.owner()) && existing.server.equals(spec.server())
                    && existing.planSize.equals(plan.size()) && existing.planHa == plan.ha()) {
                return view(existing);
            }
            throw new PlatformException(409, "environment name '" + spec.name() + "' is taken");
        }
        ServerEntity server = ServerEntity.findById(spec.server());
        if (server == null) {
            throw new PlatformException(422, "unknown server '" + spec.server() + "'");
        }
        if (!server.online) {
            throw new PlatformException(409, "server '" + server.name + "' is offline");
        }
        Server.Capacity free = servers.one(server.name).free();
        long memory = EnvironmentEntity.PLAN_MEMORY_MB.get(plan.size());
        if (free.environments() < 1 || free.memoryMb() < memory) {
            throw new PlatformException(409, "server '" + server.name + "' has no room for a " + plan.size() + " environment");
        }
        EnvironmentEntity e = new EnvironmentEntity();
        e.name = spec.name();
        e.owner = spec.owner();
        e.server = server.name;
        e.planSize = plan.size();
        e.planHa = plan.ha();
        e.persist();
        return view(e);
    }

    @Transactional
    public Environment updateSkeleton(String name, SkeletonUpdate update) {
        EnvironmentEntity e = get(name);
        refuseIfFrozen(e);
        if (update.domains() != null) {
            for (EnvironmentEntity.StoredDomain d : update.domains()) {
                if (d.hostname() == null || !d.hostname().matches("[a-z0-9.-]+")) {
                    throw new PlatformException(422, "invalid hostname '" + d.hostname() + "'");
                }
                Certificates.parse(d.hostname(), d.certificatePem());
            }
            e.domains = new ArrayList<>(update.domains());
        }
        if (update.envVars() != null) {
            e.envVars = new LinkedHashMap<>(update.envVars());
        }
        if (update.formation() != null) {
            e.formation = new LinkedHashMap<>(update.formation());
        }
        if (update.settings() != null) {
            e.settings = new LinkedHashMap<>(update.settings());
        }
        if (update.notifiers() != null) {
            e.notifiers = new ArrayList<>(update.notifiers());
        }
        if (update.logDrains() != null) {
            e.logDrains = new ArrayList<>(update.logDrains());
        }
        if (update.autoscalers() != null) {
            e.autoscalers = new ArrayList<>(update.autoscalers());
        }
        if (update.collaborators() != null) {
            e.collaborators = new ArrayList<>(update.collaborators());
        }
        return view(e);
    }

    @Transactional
    public Environment addDatabase(String name, NewDatabase spec) {
        EnvironmentEntity e = get(name);
        refuseIfFrozen(e);
        if (spec == null || spec.name() == null || !spec.name().matches("[a-z][a-z0-9_]{0,30}")) {
            throw new PlatformException(422, "a database name is lower-case letters, digits and underscores");
        }
        if ("redis".equals(spec.kind())) {
            String plan = Objects.requireNonNullElse(spec.plan(), "store");
            if (!RedisAdmin.knownPlan(plan)) {
                throw new PlatformException(422, "unknown Redis plan '" + plan + "' (known: store, cache)");
            }
            String version = redis.version().orElseThrow(() -> new PlatformException(409, "server '" + e.server + "' has no Redis"));
            ensureDatabase(e, spec.name(), spec.kind(), plan, Objects.requireNonNullElse(spec.version(), majorMinor(version)));
        } else if ("postgresql".equals(spec.kind())) {
            ensureDatabase(e, spec.name(), spec.kind(), Objects.requireNonNullElse(spec.plan(), "standard"),
                    Objects.requireNonNullElse(spec.version(), postgres.version(Servers.get(e.server)).split("\\.")[0]));
        } else {
            throw new PlatformException(422, "database kind '" + spec.kind() + "' is not supported (postgresql and redis are)");
        }
        return view(e);
    }

    @Transactional
    public void copySkeleton(String targetName, String sourceName) {
        EnvironmentEntity source = get(sourceName);
        EnvironmentEntity target = get(targetName);
        refuseIfFrozen(target);
        target.envVars = new LinkedHashMap<>(source.envVars);
        target.formation = new LinkedHashMap<>(source.formation);
        target.settings = new LinkedHashMap<>(source.settings);
        target.domains = new ArrayList<>(source.domains);
        target.notifiers = new ArrayList<>(source.notifiers);
        target.logDrains = new ArrayList<>(source.logDrains);
        target.autoscalers = new ArrayList<>(source.autoscalers);
        target.collaborators = new ArrayList<>(source.collaborators);
        target.release = source.release;
        for (EnvironmentEntity.StoredDatabase db : source.databases) {
            ensureDatabase(target, db.name(), db.kind(), db.plan(), db.version());
        }
    }

    @Transactional
    public void deploy(String name, String release) {
        EnvironmentEntity e = get(name);
        if (!apps.releaseExists(release)) {
            throw new PlatformException(422, "unknown release '" + release + "'");
        }
        if (release.equals(e.release) && "running".equals(e.status) && apps.alive(e.name, e.pid)) {
            return;
        }
        apps.stop(e.name, e.pid);
        e.release = release;
        run(e);
    }

    @Transactional
    public void start(String name) {
        EnvironmentEntity e = get(name);
        if (e.release == null) {
            throw new PlatformException(409, "environment '" + name + "' has no release to start");
        }
        if (!("running".equals(e.status) && apps.alive(e.name, e.pid))) {
            run(e);
        }
    }

    @Transactional
    public void stop(String name) {
        EnvironmentEntity e = get(name);
        apps.stop(e.name, e.pid);
        e.status = "stopped";
        e.pid = null;
        e.port = null;
    }

    @Transactional
    public Environment setFlags(String name, Map<String, Boolean> flags) {
        EnvironmentEntity e = get(name);
        if (flags == null || flags.isEmpty() || !FLAGS.containsAll(flags.keySet())) {
            throw new PlatformException(422, "flags are " + FLAGS + ", each true or false");
        }
        flags.forEach((flag, on) -> {
            switch (flag) {
                case "maintenance" -> e.maintenance = on;
                case "frozen" -> e.frozen = on;
                case "protected" -> e.isProtected = on;
                default -> {
                    if (on) {
                        // One default per owner: two environments of one owner made default at once took each other's
                        // rows in turn (a deadlock, seen with hundreds of migrations completing together).
                        EnvironmentEntity.getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))")
                                .setParameter(1, "default of " + e.owner).getSingleResult();
                        EnvironmentEntity.update("isDefault = false where owner = ?1 and name <> ?2 and isDefault = true", e.owner, e.name);
                    }
                    e.isDefault = on;
                }
            }
        });
        return view(e);
    }

    @Transactional
    public void destroy(String name) {
        EnvironmentEntity e = get(name);
        if (e.isProtected) {
            throw new PlatformException(409, "environment '" + name + "' is protected: unprotect it first");
        }
        apps.stop(e.name, e.pid);
        ServerEntity server = Servers.get(e.server);
        for (EnvironmentEntity.StoredDatabase db : e.databases) {
            if (db.redis()) {
                redis.destroy(db);
            } else {
                postgres.dropDatabase(server, db.databaseName(), db.user());
            }
        }
        e.delete();
        LOG.infof("environment %s destroyed", name);
    }

    /** Asks the running release which of its schema migrations its database lacks. */
    @Transactional
    public List<String> pendingSchemaMigrations(String name) {
        EnvironmentEntity e = get(name);
        if (!("running".equals(e.status) && apps.alive(e.name, e.pid))) {
            throw new PlatformException(409, "environment '" + name + "' does not run: its release can't say which schema migrations are pending");
        }
        return apps.pendingSchemaMigrations(e.name, e.port);
    }

    @Transactional
    public DatabaseCredentials credentials(String name, String database) {
        EnvironmentEntity e = get(name);
        ServerEntity server = Servers.get(e.server);
        EnvironmentEntity.StoredDatabase db = e.databases.stream().filter(d -> d.name().equals(database)).findFirst()
                .orElseThrow(() -> new PlatformException(404, "environment '" + name + "' has no database '" + database + "'"));
        if (db.redis()) {
            return redis.admin(db);
        }
        return new DatabaseCredentials(server.postgresHost, server.postgresPort, db.databaseName(), db.user(), db.password());
    }

    /** Fences or lets in writes at every database of the environment (PostgreSQL and Redis), whoever writes. */
    @Transactional
    public void fenceWrites(String name, boolean fenced) {
        EnvironmentEntity e = get(name);
        ServerEntity server = Servers.get(e.server);
        // Every database at once: inside the freeze, the slowest one is the fence's time, not their sum.
        List.copyOf(e.databases).parallelStream().forEach(db -> {
            if (db.redis()) {
                redis.fenceWrites(db, fenced);
            } else {
                postgres.fenceWrites(server, db.databaseName(), fenced);
            }
        });
        LOG.infof("writes to %s %s", name, fenced ? "fenced" : "let in again");
    }

    private void ensureDatabase(EnvironmentEntity e, String name, String kind, String plan, String version) {
        if (e.databases.stream().anyMatch(d -> d.name().equals(name))) {
            return;
        }
        ServerEntity server = Servers.get(e.server);
        String databaseName = (e.name + "_" + name).replace('-', '_');
        if (databaseName.length() > 61) {
            // PostgreSQL would cut the database's and its role's ("u_" + name) names to 63 characters.
            throw new PlatformException(422, "database '" + name + "' of environment '" + e.name
                    + "' makes a PostgreSQL name longer than 61 characters: choose a shorter database name");
        }
        // "shop" + "eu_main" and "shop-eu" + "main" make the same name: one environment must not take over another's database.
        boolean taken = EnvironmentEntity.<EnvironmentEntity>list("server", e.server).stream()
                .filter(other -> !other.name.equals(e.name))
                .flatMap(other -> other.databases.stream())
                .anyMatch(d -> d.databaseName().equals(databaseName));
        if (taken) {
            throw new PlatformException(409, "database name '" + databaseName + "' on server '" + e.server
                    + "' belongs to another environment: choose another database name");
        }
        boolean isRedis = "redis".equals(kind);
        EnvironmentEntity.StoredDatabase db = new EnvironmentEntity.StoredDatabase(name, kind, plan, version, databaseName,
                "u_" + databaseName, secret(), isRedis ? freePort() : null, isRedis ? secret() : null);
        if (isRedis) {
            redis.ensureRunning(db);
        } else {
            postgres.createDatabase(server, db.databaseName(), db.user(), db.password());
        }
        List<EnvironmentEntity.StoredDatabase> all = new ArrayList<>(e.databases);
        all.add(db);
        e.databases = all;
    }

    private void run(EnvironmentEntity e) {
        ServerEntity server = Servers.get(e.server);
        Map<String, String> env = new HashMap<>(e.envVars);
        env.put("CUTOVER_ENVIRONMENT", e.name);
        env.put("CUTOVER_SERVER", e.server);
        e.databases.stream().filter(d -> !d.redis()).findFirst().ifPresent(db -> {
            env.put("DATABASE_URL", "jdbc:postgresql://" + server.postgresHost + ":" + server.postgresPort + "/" + db.databaseName());
            env.put("DATABASE_USER", db.user());
            env.put("DATABASE_PASSWORD", db.password());
        });
        e.databases.stream().filter(EnvironmentEntity.StoredDatabase::redis).findFirst()
                .ifPresent(db -> env.put("REDIS_URL", RedisAdmin.url(db)));
        int port = freePort();
        e.pid = apps.start(e.name, e.release, port, env);
        e.port = port;
        e.status = "running";
    }

    private Environment view(EnvironmentEntity e) {
        ServerEntity server = Servers.get(e.server);
        Map<String, Long> sizes = new HashMap<>(server.online ? postgres.sizeBytes(server, e.databases.stream()
                .filter(d -> !d.redis()).map(EnvironmentEntity.StoredDatabase::databaseName).toList()) : Map.of());
        e.databases.stream().filter(EnvironmentEntity.StoredDatabase::redis).forEach(d -> sizes.put(d.databaseName(), redis.sizeBytes(d)));
        boolean running = "running".equals(e.status) && apps.alive(e.name, e.pid);
        return new Environment(e.name, e.owner, e.server, server.region, new Environment.Plan(e.planSize, e.planHa, e.memoryMb()),
                e.release, running ? "running" : ("running".equals(e.status) ? "crashed" : e.status),
                running ? "http://127.0.0.1:" + e.port : null,
                new Environment.Flags(e.maintenance, e.frozen, e.isProtected, e.isDefault),
                new Skeleton(List.copyOf(e.envVars.keySet()), e.formation, e.settings,
                        e.domains.stream().map(d -> new Skeleton.Domain(d.hostname(), d.certificatePem())).toList(),
                        e.notifiers, e.logDrains, e.autoscalers, e.collaborators),
                e.databases.stream().map(d -> new Environment.Database(d.name(), d.kind(), d.plan(), d.version(), e.server,
                        sizes.getOrDefault(d.databaseName(), 0L))).toList());
    }

    private static EnvironmentEntity get(String name) {
        EnvironmentEntity e = EnvironmentEntity.findById(name);
        if (e == null) {
            throw new PlatformException(404, "unknown environment '" + name + "'");
        }
        return e;
    }

    private static void refuseIfFrozen(EnvironmentEntity e) {
        if (e.frozen) {
            throw new PlatformException(409, "environment '" + e.name + "' is frozen by a migration: its settings can't change");
        }
    }

    private static String majorMinor(String version) {
        String[] parts = version.split("\\.");
        return parts.length > 1 ? parts[0] + "." + parts[1] : version;
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException ex) {
            throw new PlatformException(500, "no free port for a release", ex);
        }
    }
}
