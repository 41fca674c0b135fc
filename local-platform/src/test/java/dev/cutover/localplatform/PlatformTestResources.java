package dev.cutover.localplatform;

import dev.cutover.stack.Databases;
import dev.cutover.stack.Ports;
import dev.cutover.stack.PostgresServer;
import dev.cutover.stack.Tokens;
import dev.cutover.stack.Processes;
import dev.cutover.stack.RedisBinary;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the local platform needs around it in a test: a PostgreSQL for its own state, two real PostgreSQL servers that
 * play the servers eu-1 and eu-2, a releases directory holding the sample app as release {@code sample-app-1.0}, an apps
 * directory and a log file to read back, all under {@code target/local-platform-test}. Started once per test JVM and
 * shared by every test class (the instances are found through system properties, since Quarkus may load this class in
 * several class loaders); the embedded servers stop with the JVM, the releases with the platform.
 */
public class PlatformTestResources implements QuarkusTestResourceLifecycleManager {

    static final String RELEASE = "sample-app-1.0";
    private static final String STARTED = "cutover.test.platform.started";
    private static final String CONTROL_PORT = "cutover.test.platform.control-port";
    private static final String EU1_PORT = "cutover.test.platform.eu-1-port";
    private static final String EU2_PORT = "cutover.test.platform.eu-2-port";
    private static final String APPS_DIR = "cutover.test.platform.apps-dir";
    private static final String RELEASES_DIR = "cutover.test.platform.releases-dir";
    private static final String LOG_FILE = "cutover.test.platform.log-file";

    @Override
    public Map<String, String> start() {
        ensureStarted();
        return Map.of(
                "quarkus.datasource.jdbc.url", platformJdbcUrl(),
                "quarkus.datasource.username", PostgresServer.SUPERUSER,
                "quarkus.datasource.password", "",
                "local-platform.releases-dir", System.getProperty(RELEASES_DIR),
                "local-platform.apps-dir", System.getProperty(APPS_DIR),
                "local-platform.redis-server", redisServer(),
                "quarkus.log.file.enabled", "true",
                "quarkus.log.file.path", System.getProperty(LOG_FILE),
                "quarkus.log.category.\"dev.cutover\".level", "DEBUG",
                "mp.jwt.verify.publickey.location", Tokens.forTests().publicKeyFile().toString());
    }

    @Override
    public void stop() {
        // Shared by every test class of this JVM: stopped by the JVM's shutdown hook.
    }

    /** The Redis binary Redis addons run, extracted once per test JVM. */
    private static String redisServer() {
        try {
            return RedisBinary.extract(appsDir().resolveSibling("redis-bin"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String platformJdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + System.getProperty(CONTROL_PORT) + "/local_platform";
    }

    static int eu1Port() {
        return Integer.parseInt(System.getProperty(EU1_PORT));
    }

    static int eu2Port() {
        return Integer.parseInt(System.getProperty(EU2_PORT));
    }

    static Path appsDir() {
        return Path.of(System.getProperty(APPS_DIR));
    }

    static Path logFile() {
        return Path.of(System.getProperty(LOG_FILE));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temporary directory
        }
    }

    private static void ensureStarted() {
        synchronized (System.class) {
            if (System.getProperty(STARTED) != null) {
                return;
            }
            Path jar = Path.of("..", "sample-app", "target", "sample-app.jar").toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("the sample app jar " + jar + " is missing: build it first with "
                        + "./mvnw -pl sample-app package -DskipTests (the local platform's tests deploy it as release " + RELEASE + ")");
            }
            try {
                // Under the module's build directory, so that nothing piles up elsewhere; whatever a killed run left
                // there (PostgreSQL servers, release processes, files) goes first. A shutdown hook can't do it: it
                // would run after Quarkus closed the class loader this class comes from.
                Path dir = Path.of("target", "local-platform-test").toAbsolutePath();
                Processes.stopMarked(dir.toString());
                deleteTree(dir);
                Path releases = Files.createDirectories(dir.resolve("releases"));
                Files.copy(jar, releases.resolve(RELEASE + ".jar"));
                PostgresServer control = PostgresServer.start("control", dir.resolve("pg/control"), Ports.free());
                PostgresServer eu1 = PostgresServer.start("eu-1", dir.resolve("pg/eu-1"), Ports.free());
                PostgresServer eu2 = PostgresServer.start("eu-2", dir.resolve("pg/eu-2"), Ports.free());
                Databases.ensure(control.jdbcUrl("postgres"), "local_platform");
                System.setProperty(CONTROL_PORT, String.valueOf(control.port()));
                System.setProperty(EU1_PORT, String.valueOf(eu1.port()));
                System.setProperty(EU2_PORT, String.valueOf(eu2.port()));
                System.setProperty(RELEASES_DIR, releases.toString());
                System.setProperty(APPS_DIR, dir.resolve("apps").toString());
                System.setProperty(LOG_FILE, dir.resolve("local-platform.log").toString());
                System.setProperty(STARTED, "true");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the PostgreSQL servers of the local platform's tests", e);
            }
        }
    }
}
