package dev.cutover.localplatform.environment;

import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.PlatformException;
import dev.cutover.platform.redis.RedisConnection;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Redis addons, as a managed Redis offers them: every addon is its own {@code redis-server} process on its server, with
 * two users: the app's ({@link EnvironmentEntity.StoredDatabase#user()}: every data command, no administration) and the
 * platform's own {@value #ADMIN}, which Cutover's data-sync receives as the addon's credentials (it replicates and
 * restores). A {@code store} persists (append-only file) and never evicts; a {@code cache} keeps nothing on disk and
 * evicts the least recently used keys. One process per addon rather than numbered databases of a shared server, because
 * Redis's replication and its users work per server: an addon must be movable without its neighbours.
 */
@ApplicationScoped
public class RedisAdmin {

    private static final Logger LOG = Logger.getLogger(RedisAdmin.class);
    public static final String ADMIN = "cutover";
    /** The app's rights, and the same without writes: the fence (commands in {@code @write} are refused). */
    private static final String APP_RIGHTS = "~* &* +@all -@admin -@dangerous";
    /** Each plan's persistence and eviction. */
    private static final Map<String, String> PLANS = Map.of(
            "store", "--appendonly yes --appendfsync everysec --maxmemory-policy noeviction",
            "cache", "--save '' --appendonly no --maxmemory-policy allkeys-lru");
    /** Each plan's memory (its {@code --maxmemory}), in MB. */
    public static final Map<String, Long> PLAN_MEMORY_MB = Map.of("store", 256L, "cache", 64L);

    @ConfigProperty(name = "local-platform.redis-server")
    String redisServer;

    @ConfigProperty(name = "local-platform.apps-dir")
    Path appsDir;

    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private volatile String version;

    /** The plans a Redis addon can have. */
    public static boolean knownPlan(String plan) {
        return PLANS.containsKey(plan);
    }

    /** The version of the Redis this host runs ({@code 7.0.15}), or empty if it has none. */
    public Optional<String> version() {
        if (version == null) {
            try {
                Process p = new ProcessBuilder(redisServer, "--version").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                p.waitFor(10, TimeUnit.SECONDS);
                int at = out.indexOf("v=");
                version = at < 0 ? "" : out.substring(at + 2).split("\\s")[0];
            } catch (IOException e) {
                version = "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return version.isEmpty() ? Optional.empty() : Optional.of(version);
    }

    /** Starts the addon's server unless it answers already, and waits until it does. */
    public void ensureRunning(EnvironmentEntity.StoredDatabase db) {
        if (answers(db)) {
            return;
        }
        if (version().isEmpty()) {
            throw new PlatformException(409, "this platform's servers have no Redis: install redis-server (Debian: apt-get install"
                    + " redis-server) or set local-platform.redis-server");
        }
        try {
            Path dir = Files.createDirectories(dir(db));
            List<String> command = new ArrayList<>(List.of(redisServer, "--port", String.valueOf(db.port()), "--bind", "127.0.0.1",
                    "--dir", dir.toString(), "--daemonize", "no", "--set-proc-title", "no", "--protected-mode", "yes", "--user", "default", "off",
                    "--user", db.user(), "on", ">" + db.password(), "~*", "&*", "+@all", "-@admin", "-@dangerous",
                    "--user", ADMIN, "on", ">" + db.adminPassword(), "~*", "&*", "+@all"));
            command.add("--maxmemory");
            command.add(PLAN_MEMORY_MB.get(db.plan()) + "mb");
            for (String option : PLANS.get(db.plan()).split(" (?=--)")) {
                String[] parts = option.split(" ", 2);
                command.add(parts[0]);
                command.add(parts[1].equals("''") ? "" : parts[1]);
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
            processes.put(db.databaseName(), process);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!answers(db)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new PlatformException(500, "Redis of " + db.databaseName() + " did not start (see " + dir.resolve("redis.log") + ")");
                }
                Thread.sleep(20);
            }
            LOG.infof("Redis %s (%s) listens on port %d (pid %d)", db.databaseName(), db.plan(), db.port(), process.pid());
        } catch (IOException e) {
            throw new PlatformException(500, "cannot start Redis of " + db.databaseName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException(503, "interrupted", e);
        }
    }

    /** Stops the addon's server and deletes its data. */
    public void destroy(EnvironmentEntity.StoredDatabase db) {
        try (RedisConnection r = RedisConnection.open(admin(db))) {
            r.call("SHUTDOWN", "NOSAVE");
        } catch (IOException stoppedOrGone) {
            // SHUTDOWN closes the connection without a reply; a server that is down already needs nothing more.
        }
        Process p = processes.remove(db.databaseName());
        if (p != null) {
            p.destroy();
            p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> p.destroyForcibly()).join();
        }
        try (Stream<Path> files = Files.exists(dir(db)) ? Files.walk(dir(db)) : Stream.empty()) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new PlatformException(500, "Redis data of " + db.databaseName() + " not removed: " + e.getMessage(), e);
        }
    }

    /**
     * Fences the app's writes (its user loses the {@code @write} commands, at once for its open connections too: Redis
     * checks a user's rights on every command), or lets them in again. The platform's own user is not fenced.
     */
    public void fenceWrites(EnvironmentEntity.StoredDatabase db, boolean fenced) {
        try (RedisConnection r = RedisConnection.open(admin(db))) {
            List<Object> rules = new ArrayList<>(List.of("ACL", "SETUSER", db.user(), "reset", "on", ">" + db.password()));
            rules.addAll(List.of(APP_RIGHTS.split(" ")));
            if (fenced) {
                rules.add("-@write");
            }
            r.call(rules.toArray());
        } catch (IOException e) {
            throw new PlatformException(502, "Redis of " + db.databaseName() + ": writes not " + (fenced ? "fenced" : "let in") + ": "
                    + e.getMessage(), e);
        }
    }

    /** What the addon's data takes in memory, in bytes; 0 when it doesn't answer. */
    public long sizeBytes(EnvironmentEntity.StoredDatabase db) {
        try (RedisConnection r = RedisConnection.open(admin(db))) {
            return Long.parseLong(r.info("memory").getOrDefault("used_memory_dataset", "0"));
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    public DatabaseCredentials admin(EnvironmentEntity.StoredDatabase db) {
        return new DatabaseCredentials("127.0.0.1", db.port(), "0", ADMIN, db.adminPassword());
    }

    /** The app's address, the way Redis clients take it: {@code redis://user:password@host:port/0}. */
    public static String url(EnvironmentEntity.StoredDatabase db) {
        return "redis://" + db.user() + ":" + db.password() + "@127.0.0.1:" + db.port() + "/0";
    }

    void stopAll(@Observes ShutdownEvent ignored) {
        processes.values().forEach(p -> {
            p.destroy();
            p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> p.destroyForcibly()).join();
        });
    }

    private boolean answers(EnvironmentEntity.StoredDatabase db) {
        try (RedisConnection r = RedisConnection.open(admin(db))) {
            return "PONG".equals(r.call("PING"));
        } catch (IOException e) {
            return false;
        }
    }

    private Path dir(EnvironmentEntity.StoredDatabase db) {
        return appsDir.resolve("redis").resolve(db.databaseName()).toAbsolutePath();
    }
}
