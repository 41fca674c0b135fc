package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.redis.RedisConnection;
import dev.cutover.stack.DemoEnvironment;
import dev.cutover.stack.Http;
import dev.cutover.stack.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;

/** One stack (Kafka, three PostgreSQL servers, every service as a process) for all end-to-end tests of this JVM. */
final class Stack {

    private static LocalStack stack;
    private static ProgressRecorder recorder;
    static final Http HTTP = new Http();
    /** Short, so that a test can see a migration waiting for confirmation go stale. */
    static final Duration STALE_AFTER = Duration.ofSeconds(6);

    private Stack() {
    }

    static synchronized LocalStack get() {
        if (stack == null) {
            Path home = Path.of(System.getProperty("cutover.home", "..")).toAbsolutePath().normalize();
            try {
                stack = LocalStack.start(new LocalStack.Options(home, home.resolve("e2e-tests/target/stack"), false,
                        // Short clocks: a stale wait after seconds, and retries of a failing compensation 0.25 s apart, doubling.
                        Map.of("CUTOVER_STALE_AFTER", STALE_AFTER.toSeconds() + "s", "CUTOVER_RETRY_BACKOFF", "250ms"),
                        // Two orchestrators share its database and consumer group: every test runs the saga on both.
                        Map.of(LocalStack.Service.ORCHESTRATOR, 2),
                        // Zipkin: every test's migration is a trace there (TracingIT reads one).
                        true), line -> System.out.println("[stack] " + line));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
            DemoEnvironment.registerServers(stack, HTTP);
            recorder = ProgressRecorder.start(stack.kafkaBootstrapServers());
        }
        return stack;
    }

    static ProgressRecorder recorder() {
        get();
        return recorder;
    }

    static String api() {
        return get().url(LocalStack.Service.ORCHESTRATOR);
    }

    static String platform() {
        return get().url(LocalStack.Service.LOCAL_PLATFORM);
    }

    /** A fresh environment on eu-1 with the sample app, a seeded database and routes for its domain. */
    static void environment(String name, String domain) {
        try {
            DemoEnvironment.create(get(), HTTP, name, domain, 200, 3);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode migration(String id) {
        return HTTP.get(api() + "/migrations/" + id).orThrow().body();
    }

    static String start(String environment, Map<String, Object> options) {
        Map<String, Object> body = new java.util.HashMap<>(options);
        body.put("environment", environment);
        body.putIfAbsent("targetServer", "eu-2");
        body.putIfAbsent("strategy", "snapshot");
        return HTTP.post(api() + "/migrations", body).orThrow().body().path("id").asText();
    }

    /** Waits until the migration's state satisfies {@code done}; fails with its last view otherwise. */
    static JsonNode awaitState(String id, Predicate<String> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode view = migration(id);
        while (!done.test(view.path("state").asText())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("migration " + id + " did not get there in " + timeout + ": " + view.toPrettyString());
            }
            sleep(100);
            view = migration(id);
        }
        return view;
    }

    static Predicate<String> is(String state) {
        return state::equals;
    }

    static final Set<String> TERMINAL = Set.of("completed", "aborted", "failed", "preflight-failed", "rolled-back", "finalized");

    /** A connection to one of an environment's databases, with the credentials the platform hands to data-sync. */
    static Connection connect(String environment, String database) throws SQLException {
        JsonNode c = HTTP.get(platform() + "/environments/" + environment + "/databases/" + database + "/credentials")
                .orThrow().body();
        Properties props = new Properties();
        props.setProperty("user", c.path("user").asText());
        props.setProperty("password", c.path("password").asText());
        return DriverManager.getConnection("jdbc:postgresql://" + c.path("host").asText() + ":" + c.path("port").asInt()
                + "/" + c.path("database").asText(), props);
    }

    /**
     * Writes keys the app doesn't, straight into the environment's Redis store (as a worker would): every type, with
     * and without a TTL ({@code greeting}: an hour), in two numbered databases; and a page in its cache.
     */
    static void seedRedis(String environment) throws IOException {
        try (RedisConnection r = redis(environment, "activity"); RedisConnection cache = redis(environment, "cache")) {
            r.pipeline(List.of(new Object[] {"SET", "greeting", "hello", "EX", 3600}, new Object[] {"HSET", "profile", "a", "1", "b", "2"},
                    new Object[] {"RPUSH", "queue", "x", "y", "z"}, new Object[] {"SADD", "tags", "p", "q"},
                    new Object[] {"ZADD", "board", 1.5, "m", 2, "n"}, new Object[] {"SELECT", 3}, new Object[] {"SET", "in-db-3", "v"},
                    new Object[] {"SELECT", 0}));
            cache.call("SET", "page:/", "<html>", "EX", 600);
        }
    }

    /** A connection to one of an environment's Redis databases, as the platform's migration user. */
    static RedisConnection redis(String environment, String database) throws IOException {
        JsonNode c = HTTP.get(platform() + "/environments/" + environment + "/databases/" + database + "/credentials")
                .orThrow().body();
        return RedisConnection.open(new DatabaseCredentials(c.path("host").asText(), c.path("port").asInt(), "0",
                c.path("user").asText(), c.path("password").asText()));
    }

    /**
     * Every key of every numbered database of a Redis database, as "db/key" to its type, value (members sorted where Redis
     * keeps no order) and whether it expires: two Redis servers can be compared whatever encodings they chose.
     */
    @SuppressWarnings("unchecked")
    static Map<String, String> redisFingerprint(String environment, String database) throws IOException {
        Map<String, String> keys = new java.util.TreeMap<>();
        try (RedisConnection r = redis(environment, database)) {
            for (int db = 0; db < 16; db++) {
                r.call("SELECT", db);
                String cursor = "0";
                do {
                    List<Object> page = (List<Object>) r.call("SCAN", cursor, "COUNT", 1000);
                    cursor = text(page.get(0));
                    for (Object key : (List<Object>) page.get(1)) {
                        String type = r.string("TYPE", key);
                        Object value = switch (type) {
                            case "string" -> text(r.call("GET", key));
                            case "hash", "set" -> new java.util.TreeSet<>(((List<Object>) r.call(type.equals("hash") ? "HGETALL" : "SMEMBERS", key))
                                    .stream().map(Stack::text).toList());
                            case "list" -> ((List<Object>) r.call("LRANGE", key, 0, -1)).stream().map(Stack::text).toList();
                            case "zset" -> ((List<Object>) r.call("ZRANGE", key, 0, -1, "WITHSCORES")).stream().map(Stack::text).toList();
                            default -> type;
                        };
                        keys.put(db + "/" + text(key), type + " " + value + ((Long) r.call("PTTL", key) > 0 ? " (expires)" : ""));
                    }
                } while (!cursor.equals("0"));
            }
        }
        return keys;
    }

    private static String text(Object reply) {
        return reply instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    /** How many of these customer ids the environment's main database has. */
    static long customersAmong(String environment, List<Long> ids) throws SQLException {
        try (Connection c = connect(environment, "main");
             java.sql.PreparedStatement q = c.prepareStatement("select count(*) from customers where id = any(?)")) {
            q.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (var rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Per table of the main database: row count and a digest of every row, so two databases can be compared without printing them. */
    static Map<String, String> fingerprint(String environment) throws SQLException {
        return fingerprint(environment, "main");
    }

    static Map<String, String> fingerprint(String environment, String database) throws SQLException {
        Map<String, String> result = new java.util.TreeMap<>();
        try (Connection c = connect(environment, database)) {
            List<String> tables = new java.util.ArrayList<>();
            try (var rs = c.createStatement().executeQuery(
                    "select format('%I.%I', schemaname, tablename) from pg_tables where schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (var rs = c.createStatement().executeQuery("select count(*) || ':' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '')"
                        + " from " + t + " x")) {
                    rs.next();
                    result.put(t, rs.getString(1));
                }
            }
        }
        return result;
    }

    /** Waits up to 30 s for the full comparison at the switch point (after the release) and asserts it found every row equal. */
    static JsonNode awaitSwitchPointVerified(String id) {
        JsonNode view = migration(id);
        for (int i = 0; i < 300 && !view.path("history").toString().contains("switch point verified"); i++) {
            sleep(100);
            view = migration(id);
        }
        assertTrue(view.path("history").toString().contains("switch point verified"), view.toPrettyString());
        return view;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
