package dev.cutover.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.contracts.CloudEvent;
import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Topics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
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

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "up" : args[0];
        if (!List.of("up", "demo").contains(command)) {
            System.err.println("usage: cutover up|demo");
            System.exit(2);
        }
        Path home = Path.of(System.getProperty("cutover.home", ".")).toAbsolutePath().normalize();
        long started = System.nanoTime();
        LocalStack stack = LocalStack.start(new LocalStack.Options(home, home.resolve(".cutover"), true), System.out::println);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping...");
            stack.close();
            System.out.println("stopped: no process left, every port free");
            stopped.countDown();
        }, "cutover-stop"));
        System.out.printf("stack ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
        long demo = System.nanoTime();
        Http http = new Http();
        DemoEnvironment.create(stack, http, 1000, 5);
        System.out.printf("demo environment created and seeded in %.1f s%n", (System.nanoTime() - demo) / 1e9);
        System.out.println("demo environment 'shop' serves on eu-1: curl -H 'Host: " + DemoEnvironment.DOMAIN + "' "
                + stack.routerUrl() + "/stats");
        if (command.equals("demo")) {
            demo(stack, http);
            System.exit(0);
        }
        System.out.println("Ctrl-C stops everything.");
        stopped.await();
    }

    private static void demo(LocalStack stack, Http http) throws Exception {
        String api = stack.url(LocalStack.Service.ORCHESTRATOR);
        Thread progress = new Thread(() -> printProgress(stack.kafkaBootstrapServers()), "progress");
        progress.setDaemon(true);
        progress.start();
        LoadDriver load = LoadDriver.start(stack.routerUrl(), DemoEnvironment.DOMAIN, 40, 4);
        Thread.sleep(1000);
        JsonNode migration = http.post(api + "/migrations", Map.of("environment", DemoEnvironment.ENVIRONMENT,
                "targetServer", "eu-2", "strategy", "live")).orThrow().body();
        String id = migration.path("id").asText();
        System.out.println("migration " + id + " created: shop eu-1 -> eu-2 (live), traffic running through the router");
        JsonNode view = await(http, api, id, "awaiting-confirmation");
        if (view.path("state").asText().equals("awaiting-confirmation")) {
            System.out.println("verified; confirming the switch-over");
            http.post(api + "/migrations/" + id + "/confirm", null).orThrow();
            view = await(http, api, id, "completed");
        }
        Thread.sleep(1000);
        LoadDriver.Report report = load.stop();
        summary(stack, http, view, report);
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

    private static void summary(LocalStack stack, Http http, JsonNode view, LoadDriver.Report report) throws Exception {
        System.out.println();
        System.out.println("=== migration " + view.path("id").asText() + ": " + view.path("state").asText()
                + (view.path("reason").isNull() ? "" : " (" + view.path("reason").asText() + ")"));
        for (JsonNode step : view.path("steps")) {
            System.out.printf("  %-12s %-12s %8s ms  %s%n", step.path("step").asText(), step.path("status").asText(),
                    step.path("durationMs").isNull() ? "-" : step.path("durationMs").asText(), step.path("detail").asText(""));
        }
        long rows = 0;
        long freeze = -1;
        for (JsonNode step : view.path("steps")) {
            if (step.path("step").asText().equals("final-sync")) {
                rows = step.path("figures").path("rows").asLong();
            }
            if (step.path("step").asText().equals("switch-over")) {
                freeze = step.path("figures").path("freezeMillis").asLong(-1);
            }
        }
        String target = view.path("targetEnvironment").asText();
        long found = countOnTarget(stack, http, target, report.ackedWrites());
        System.out.println("  rows moved:                " + rows);
        System.out.println("  writes frozen for:         " + (freeze < 0 ? "-" : freeze + " ms"));
        System.out.println("  requests sent:             " + report.requests() + " (p50 " + report.p50Millis() + " ms, p99 "
                + report.p99Millis() + " ms, longest " + report.maxMillis() + " ms)");
        System.out.println("  failed requests:           " + report.failed());
        System.out.println("  writes acknowledged:       " + report.ackedWrites().size() + ", found on " + target + ": " + found);
        report.failures().forEach(f -> System.out.println("    failure: " + f));
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
