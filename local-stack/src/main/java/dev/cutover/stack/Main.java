package dev.cutover.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.cutover.contracts.CloudEvent;
import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Topics;
import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.redis.RedisConnection;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The run command: {@code up} starts the stack with the demo environment; {@code demo} also runs a migration and sums it up. */
public final class Main {

    private static final String USAGE = "usage: cutover up [--replicas N] [--tracing] | cutover demo [--strategy live|snapshot] [--rate N]"
            + " [--replicas N] [--tracing]"
            + " | cutover keys";

    /** How {@code demo} migrates: the strategy, and the traffic's requests a second. */
    private record DemoOptions(String strategy, int rate, int replicas, boolean tracing) {
    }

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "up" : args[0];
        DemoOptions options = parse(command, args);
        Path home = Path.of(System.getProperty("cutover.home", ".")).toAbsolutePath().normalize();
        if (command.equals("keys")) {
            keys(home);
            return;
        }
        long started = System.nanoTime();
        Map<LocalStack.Service, Integer> replicas = new EnumMap<>(LocalStack.Service.class);
        for (LocalStack.Service s : LocalStack.Service.values()) {
            replicas.put(s, options.replicas());
        }
        LocalStack stack = LocalStack.start(new LocalStack.Options(home, home.resolve(".cutover"), true, Map.of(), replicas,
                options.tracing()),
                System.out::println);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping...");
            stack.close();
            System.out.println("stopped: no process left, every port free");
            stopped.countDown();
        }, "cutover-stop"));
        System.out.printf("stack ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
        stack.supervise(line -> System.out.println("[supervisor] " + line));
        long demo = System.nanoTime();
        Http http = new Http();
        DemoEnvironment.create(stack, http, 1000, 5);
        System.out.printf("demo environment created and seeded in %.1f s%n", (System.nanoTime() - demo) / 1e9);
        System.out.println("demo environment 'shop' serves on eu-1: curl -H 'Host: " + DemoEnvironment.DOMAIN + "' "
                + stack.routerUrl() + "/stats");
        // The token itself goes to a file only the user reads, not to the console's scrollback.
        String api = stack.url(LocalStack.Service.ORCHESTRATOR);
        System.out.println("API token (operator of tenant " + DemoEnvironment.OWNER + ", 30 days) in " + home.relativize(stack.tokenFile())
                + ": ./cutover <command> uses it; curl -H \"Authorization: Bearer $(cat " + home.relativize(stack.tokenFile()) + ")\" "
                + api + "/migrations; dashboard: open " + api + "/#token=$(cat " + home.relativize(stack.tokenFile()) + ")");
        if (command.equals("demo")) {
            demo(stack, http, options);
            System.exit(0);
        }
        System.out.println("Ctrl-C stops everything.");
        stopped.await();
    }

    /**
     * For docker compose: the stack's issuer (the same keys as {@code up}'s) gives the services its public key in
     * docker/keys, their platform tokens (data-sync and preflight, which log in to databases, get their own) and the
     * orchestrator's secrets key in .env;
     * an operator token of the demo tenant goes to .cutover/token as {@code up}'s does.
     */
    private static void keys(Path home) throws java.io.IOException {
        Tokens tokens = Tokens.in(home.resolve(".cutover/keys"));
        Path keys = java.nio.file.Files.createDirectories(home.resolve("docker/keys"));
        java.nio.file.Files.copy(tokens.publicKeyFile(), keys.resolve("jwt-public.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        java.nio.file.Files.writeString(home.resolve(".env"), "# Written by ./cutover keys: the services' platform tokens (1 year).\n"
                + "CUTOVER_PLATFORM_TOKEN=" + tokens.service("cutover-services", false) + "\n"
                + "CUTOVER_CREDENTIALS_TOKEN=" + tokens.service("cutover-data-services", true) + "\n"
                + "CUTOVER_SECRETS_KEY=" + tokens.secretsKey() + "\n");
        java.nio.file.Files.writeString(home.resolve(".cutover/token"),
                tokens.mint("demo", DemoEnvironment.OWNER, java.time.Duration.ofDays(30), "operator") + "\n");
        System.out.println("public key in docker/keys/jwt-public.pem, the services' tokens in .env, an operator token of tenant "
                + DemoEnvironment.OWNER + " in .cutover/token: docker compose up");
    }

    /** Checks the arguments before anything starts; a wrong one ends the run with the usage and exit code 2. */
    private static DemoOptions parse(String command, String[] args) {
        if (!List.of("up", "demo", "keys").contains(command)) {
            usage("unknown command " + command);
        }
        if (command.equals("keys") && args.length > 1) {
            usage(command + " takes no options");
        }
        String strategy = "live";
        int rate = 40;
        int replicas = 1;
        boolean tracing = false;
        for (int i = 1; i < args.length; i += 2) {
            String option = args[i];
            if (!(command.equals("demo") ? List.of("--strategy", "--rate", "--replicas", "--tracing")
                    : List.of("--replicas", "--tracing")).contains(option)) {
                usage("unknown option " + option + " for " + command);
            }
            if (option.equals("--tracing")) {
                // A flag: Zipkin runs beside the services, which send it their spans.
                tracing = true;
                i--;
                continue;
            }
            if (i + 1 >= args.length) {
                usage(option + " needs a value");
            }
            String value = args[i + 1];
            if (option.equals("--replicas")) {
                // Every Cutover service N times, on one database and one consumer group each (not the local platform nor
                // the edge router: README, "Two instances").
                replicas = value.matches("[1-4]") ? Integer.parseInt(value) : 0;
                if (replicas < 1) {
                    usage("--replicas must be 1 to 4 instances of every service: " + value);
                }
            } else if (option.equals("--strategy")) {
                if (!List.of("live", "snapshot").contains(value)) {
                    usage("--strategy must be live or snapshot: " + value);
                }
                strategy = value;
            } else {
                rate = value.matches("\\d{1,5}") ? Integer.parseInt(value) : 0;
                if (rate < 1) {
                    usage("--rate must be a whole number of requests a second, at least 1: " + value);
                }
            }
        }
        return new DemoOptions(strategy, rate, replicas, tracing);
    }

    private static void usage(String problem) {
        System.err.println("cutover: " + problem);
        System.err.println(USAGE);
        System.exit(2);
    }

    private static void demo(LocalStack stack, Http http, DemoOptions options) throws Exception {
        String api = stack.url(LocalStack.Service.ORCHESTRATOR);
        Thread progress = new Thread(() -> printProgress(stack.kafkaBootstrapServers()), "progress");
        progress.setDaemon(true);
        progress.start();
        // A freshly started app, router and client stall for seconds on their first requests (JIT, connections): that
        // warm-up traffic is not counted, so "before" shows the steady state the migration starts from.
        LoadDriver warmUp = LoadDriver.start(stack.routerUrl(), DemoEnvironment.DOMAIN, options.rate());
        Thread.sleep(5000);
        warmUp.stop();
        LoadDriver load = LoadDriver.start(stack.routerUrl(), DemoEnvironment.DOMAIN, options.rate());
        System.out.println("traffic: " + options.rate() + " requests/s through the router, half writes, after a 5 s warm-up;"
                + " 5 s before the migration");
        Thread.sleep(5000);
        JsonNode migration = http.post(api + "/migrations", Map.of("environment", DemoEnvironment.ENVIRONMENT,
                "targetServer", "eu-2", "strategy", options.strategy())).orThrow().body();
        String id = migration.path("id").asText();
        System.out.println("migration " + id + " created: shop eu-1 -> eu-2 (" + options.strategy()
                + "), traffic running through the router");
        JsonNode view = await(http, api, id, "awaiting-confirmation");
        if (view.path("state").asText().equals("awaiting-confirmation")) {
            System.out.println("verified; confirming the switch-over");
            http.post(api + "/migrations/" + id + "/confirm", null).orThrow();
            view = await(http, api, id, "completed");
        }
        // So that "after" has traffic on the target to set against "before".
        Thread.sleep(5000);
        LoadDriver.Report report = load.stop();
        summary(stack, http, view, report, options);
    }

    private static JsonNode await(Http http, String api, String id, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        JsonNode view = http.get(api + "/migrations/" + id).orThrow().body();
        while (System.nanoTime() < deadline) {
            view = http.get(api + "/migrations/" + id).orThrow().body();
            String now = view.path("state").asText();
            if (now.equals(state) || List.of("completed", "aborted", "failed", "preflight-failed").contains(now)) {
                return view;
            }
            Thread.sleep(200);
        }
        return view;
    }

    private static void summary(LocalStack stack, Http http, JsonNode view, LoadDriver.Report report, DemoOptions options)
            throws Exception {
        System.out.println();
        System.out.println("=== migration " + view.path("id").asText() + " (" + options.strategy() + ", " + options.rate()
                + " requests/s): " + view.path("state").asText()
                + (view.path("reason").isNull() ? "" : " (" + view.path("reason").asText() + ")"));
        for (JsonNode step : view.path("steps")) {
            System.out.printf("  %-12s %-12s %8s ms  %s%n", step.path("step").asText(), step.path("status").asText(),
                    step.path("durationMs").isNull() ? "-" : step.path("durationMs").asText(), step.path("detail").asText(""));
        }
        // Live: the copy's rows and keys, then every change replicated; snapshot: the copy inside the freeze.
        boolean live = "live".equals(options.strategy());
        long rows = step(view, live ? "sync" : "final-sync").path("figures").path("rows").asLong();
        long keys = step(view, "final-sync").path("figures").path("keys").asLong();
        long freeze = step(view, "switch-over").path("figures").path("freezeMillis").asLong(-1);
        String target = view.path("targetEnvironment").asText();
        long found = countOnTarget(stack, http, target, report.ackedWrites());
        long foundInRedis = keysOnTarget(stack, http, target, report.ackedWrites());
        System.out.println("  rows moved:                " + rows + (live ? " copied, then every change replicated" : ""));
        System.out.println("  Redis keys moved:          " + keys + (live ? " (the target's, when it was promoted)" : ""));
        System.out.println("  writes frozen for:         " + (freeze < 0 ? "-" : freeze + " ms"));
        System.out.println("  requests sent:             " + report.requests() + " (p50 " + report.p50Millis() + " ms, p99 "
                + report.p99Millis() + " ms)");
        // When the stall began tells a cold start (first seconds) from a migration step.
        long began = report.samples().stream().mapToLong(LoadDriver.Sample::scheduledAt).min().orElse(0);
        long stalledAt = report.samples().stream().max(Comparator.comparingLong(LoadDriver.Sample::millis))
                .map(LoadDriver.Sample::scheduledAt).orElse(began);
        System.out.printf("  longest request stall:     %d ms, due %.1f s after the traffic began (latency counted from when each"
                + " request was due)%n", report.maxMillis(), (stalledAt - began) / 1000.0);
        System.out.println("  failed requests:           " + report.failed());
        System.out.println("  writes acknowledged:       " + report.ackedWrites().size() + ", found on " + target + ": " + found
                + " in PostgreSQL, " + foundInRedis + " in Redis");
        report.failures().forEach(f -> System.out.println("    failure: " + f));
        printPhases(view, report);
    }

    /**
     * The traffic before, during and after the freeze: from the freeze step's start to the switch-over step's end.
     * "During" is every request in flight at some point of that window, so each request falls in exactly one row.
     */
    private static void printPhases(JsonNode view, LoadDriver.Report report) {
        String start = step(view, "freeze").path("startedAt").asText("");
        String end = step(view, "switch-over").path("finishedAt").asText("");
        if (start.isEmpty() || end.isEmpty()) {
            System.out.println("  no freeze window: the migration did not switch over");
            return;
        }
        long from = OffsetDateTime.parse(start).toInstant().toEpochMilli();
        long to = OffsetDateTime.parse(end).toInstant().toEpochMilli();
        System.out.println("  traffic around the freeze (" + start + " to " + end + ", " + (to - from) + " ms):");
        System.out.printf("    %-7s %8s %7s %8s %8s %8s%n", "", "requests", "failed", "p50 ms", "p99 ms", "max ms");
        printPhase("before", report.figures(s -> s.completedAt() < from));
        printPhase("during", report.overlapping(from, to));
        printPhase("after", report.figures(s -> s.scheduledAt() > to));
    }

    private static void printPhase(String name, LoadDriver.Figures f) {
        System.out.printf("    %-7s %8d %7d %8d %8d %8d%n", name, f.count(), f.failed(), f.p50Millis(), f.p99Millis(), f.maxMillis());
    }

    private static JsonNode step(JsonNode view, String name) {
        for (JsonNode step : view.path("steps")) {
            if (step.path("step").asText().equals(name)) {
                return step;
            }
        }
        return MissingNode.getInstance();
    }

    /** How many of the acknowledged writes are in the target's database (asked with the platform's credentials). */
    private static long countOnTarget(LocalStack stack, Http http, String target, List<Long> ids) throws Exception {
        JsonNode credentials = http.get(stack.url(LocalStack.Service.LOCAL_PLATFORM) + "/environments/" + target
                + "/databases/main/credentials").body();
        if (credentials == null || !credentials.has("host")) {
            return 0;
        }
        Properties props = new Properties();
        props.setProperty("user", credentials.path("user").asText());
        props.setProperty("password", credentials.path("password").asText());
        String url = "jdbc:postgresql://" + credentials.path("host").asText() + ":" + credentials.path("port").asInt() + "/"
                + credentials.path("database").asText();
        try (Connection c = DriverManager.getConnection(url, props);
             PreparedStatement q = c.prepareStatement("select count(*) from customers where id = any(?)")) {
            q.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** How many of the acknowledged customers have their profile in the target's Redis store. */
    private static long keysOnTarget(LocalStack stack, Http http, String target, List<Long> ids) throws Exception {
        JsonNode login = http.get(stack.url(LocalStack.Service.LOCAL_PLATFORM) + "/environments/" + target
                + "/databases/activity/credentials").body();
        if (login == null || !login.has("host")) {
            return 0;
        }
        try (RedisConnection redis = RedisConnection.open(new DatabaseCredentials(login.path("host").asText(), login.path("port").asInt(),
                login.path("database").asText(), login.path("user").asText(), login.path("password").asText()))) {
            List<Object[]> exists = ids.stream().map(id -> new Object[] {"EXISTS", "customer:" + id}).toList();
            return redis.pipeline(exists).stream().mapToLong(r -> (Long) r).sum();
        }
    }

    /** Prints the public progress stream as a dashboard would see it. */
    private static void printProgress(String bootstrap) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "cutover-demo-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(Topics.MIGRATION_PROGRESS));
            while (true) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    CloudEvent e = Envelopes.decode(r.value());
                    JsonNode d = e.data();
                    if (e.type().contains("state-changed")) {
                        System.out.printf("  [state] %s -> %s  (%s)%n", d.path("from").asText("-"), d.path("to").asText(),
                                d.path("reason").asText(""));
                    } else {
                        System.out.printf("  [step]  %-11s %-12s %s%n", d.path("step").asText(), d.path("status").asText(),
                                d.path("detail").asText(""));
                    }
                }
            }
        }
    }
}
