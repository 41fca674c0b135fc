package dev.cutover.testkit;

import dev.cutover.contracts.Topics;
import dev.cutover.stack.Databases;
import dev.cutover.stack.KafkaBroker;
import dev.cutover.stack.Ports;
import dev.cutover.stack.PostgresServer;
import dev.cutover.stack.Tokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Hands a real Kafka broker and a real PostgreSQL server to {@code @QuarkusTest}s. Both start once per test JVM and are
 * shared by every test class (Quarkus may load this class in several class loaders, so the running instances are found
 * through system properties, not a static field). Each service gets its own database, named by the {@code database} arg.
 */
public class SharedTestInfrastructure implements QuarkusTestResourceLifecycleManager {

    private static final String KAFKA = "cutover.test.kafka.bootstrap";
    private static final String PG_PORT = "cutover.test.pg.port";

    private String database = "service";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        ensureStarted();
        Databases.ensure(jdbcUrl("postgres"), database);
        return Map.of(
                "kafka.bootstrap.servers", System.getProperty(KAFKA),
                "quarkus.datasource.jdbc.url", jdbcUrl(database),
                "quarkus.datasource.username", PostgresServer.SUPERUSER,
                "quarkus.datasource.password", "",
                "mp.jwt.verify.publickey.location", Tokens.forTests().publicKeyFile().toString());
    }

    @Override
    public void stop() {
        // Shared by every test class of this JVM: stopped by the JVM's shutdown hook.
    }

    public static String kafkaBootstrapServers() {
        ensureStarted();
        return System.getProperty(KAFKA);
    }

    public static String jdbcUrl(String database) {
        ensureStarted();
        return "jdbc:postgresql://127.0.0.1:" + System.getProperty(PG_PORT) + "/" + database;
    }

    public static void ensureStarted() {
        synchronized (System.class) {
            if (System.getProperty(KAFKA) != null) {
                return;
            }
            try {
                Path dir = Files.createTempDirectory("cutover-test-infra");
                KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), Ports.free());
                kafka.createTopics(Topics.ALL, 2);
                PostgresServer pg = PostgresServer.start("test", dir.resolve("pg"), Ports.free());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    kafka.close();
                    try {
                        pg.close();
                    } catch (IOException e) {
                        // the JVM is going away; the data directory is temporary
                    }
                }, "cutover-test-infra-stop"));
                System.setProperty(KAFKA, kafka.bootstrapServers());
                System.setProperty(PG_PORT, String.valueOf(pg.port()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the test Kafka and PostgreSQL", e);
            }
        }
    }
}
