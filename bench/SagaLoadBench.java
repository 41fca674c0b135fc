import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.contracts.CloudEvent;
import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.MessageCatalog;
import dev.cutover.contracts.migration.MigrationStateChanged;
import dev.cutover.contracts.Topics;
import dev.cutover.stack.DemoEnvironment;
import dev.cutover.stack.Http;
import dev.cutover.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The saga's own cost (issue 21): N migrations of light environments (the platform's in-process release
 * {@code light}, one small database, a route through the edge router) started at once, for each N given, on the whole
 * stack with REPLICAS instances of every service. Read from the topics afterwards, as a foreign client would:
 * transitions (commands published) per second, and per step hop (a command published, its participant's reply
 * published, the next command published) the whole hop and the orchestrator's part of it. Then: how many completed,
 * failed or are still in flight, every moved environment answering from eu-2 through the router, and each service
 * instance's resident memory. Prints Markdown. Run by bench/saga-load.sh.
 */
public class SagaLoadBench {

    private static final Set<String> TERMINAL = Set.of("completed", "failed", "aborted", "preflight-failed", "needs-attention");
    private static final Set<String> PROGRESS_EVENTS = Set.of("StepStarted", "StepProgressed");
    private static final List<String> COMMAND_TOPICS = List.of(Topics.PREFLIGHT_COMMANDS, Topics.PROVISIONING_COMMANDS,
            Topics.DATA_SYNC_COMMANDS, Topics.TRAFFIC_COMMANDS);

    record Message(String migration, String type, long at, boolean command) {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("cutover.home", ".")).toAbsolutePath();
        int replicas = Integer.getInteger("replicas", 1);
        String strategy = System.getProperty("strategy", "manual");
        int timeoutSeconds = Integer.getInteger("timeout", 1800);
        List<Integer> counts = new ArrayList<>();
        for (String a : args) {
            counts.add(Integer.parseInt(a));
        }
        Map<LocalStack.Service, Integer> instances = new HashMap<>();
        for (LocalStack.Service s : LocalStack.Service.values()) {
            instances.put(s, replicas);
        }
        Http http = new Http();
        Path work = home.resolve(".cutover-bench-saga");
        try (LocalStack stack = LocalStack.start(new LocalStack.Options(home, work, true, Map.of(), instances, false), line -> { })) {
            String platform = stack.url(LocalStack.Service.LOCAL_PLATFORM);
            String api = stack.url(LocalStack.Service.ORCHESTRATOR);
            String traffic = stack.url(LocalStack.Service.TRAFFIC);
            int room = 2 * (counts.stream().mapToInt(Integer::intValue).sum() + 10);
            for (String server : List.of("eu-1", "eu-2")) {
                http.put(platform + "/servers/" + server, Map.of("region", "eu", "postgresHost", "127.0.0.1",
                        "postgresPort", stack.server(server).port(),
                        "capacity", Map.of("memoryMb", 512 * room, "diskMb", 100 * room, "environments", room))).orThrow();
            }
            System.out.printf("%d instance(s) of every service, strategy %s, light environments, auto-confirm%n%n", replicas, strategy);
            System.out.println("| in flight | completed | failed | not finished | wall clock, s | transitions | transitions/s (whole run) | "
                    + "transitions/s (busiest 10 s) | hop p50 / p99, ms | orchestrator's part p50 / p99, ms | migration p50 / p99, s | answering from eu-2 |");
            System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            // The first migrations of a fresh stack run on cold JVMs: a few first, not reported.
            counts.add(0, -5);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            Map<Integer, List<String>> byStep = new java.util.LinkedHashMap<>();
            for (int round = 0; round < counts.size(); round++) {
                int n = Math.abs(counts.get(round));
                String prefix = "l" + round + "x";
                List<String> envs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    envs.add(prefix + i);
                }
                all(pool, envs, env -> {
                    http.post(platform + "/environments", Map.of("name", env, "owner", DemoEnvironment.OWNER, "server", "eu-1",
                            "plan", Map.of("size", "S", "ha", false))).orThrow();
                    http.post(platform + "/environments/" + env + "/databases",
                            Map.of("name", "main", "kind", "postgresql", "plan", "standard")).orThrow();
                    http.post(platform + "/environments/" + env + "/deployments", Map.of("release", "light")).orThrow();
                    http.put(traffic + "/routes/" + env + ".apps.localhost", Map.of("environment", env)).orThrow();
                    return null;
                });
                long started = System.currentTimeMillis();
                Map<String, String> ids = new ConcurrentHashMap<>();
                all(pool, envs, env -> {
                    ids.put(env, http.post(api + "/migrations", Map.of("environment", env, "targetServer", "eu-2",
                            "strategy", strategy, "autoConfirm", true)).orThrow().body().path("id").asText());
                    return null;
                });
                Map<String, String> states = awaitTerminal(stack, Set.copyOf(ids.values()), started, timeoutSeconds);
                long wall = System.currentTimeMillis() - started;
                List<Message> messages = read(stack, Set.copyOf(ids.values()), started);
                long answering = all(pool, envs, env -> {
                    JsonNode answer = http.send("GET", stack.routerUrl() + "/", null, Map.of("Host", env + ".apps.localhost")).body();
                    return answer != null && "eu-2".equals(answer.path("server").asText()) ? 1 : 0;
                }).stream().mapToLong(Integer::longValue).sum();
                if (counts.get(round) < 0) {
                    continue;
                }
                long completed = states.values().stream().filter("completed"::equals).count();
                long unfinished = ids.size() - states.size();
                System.out.printf("| %d | %d | %d | %d | %.1f | %s | %s | %s |%n", n, completed, states.size() - completed, unfinished,
                        wall / 1000.0, figures(messages), durations(http, api, ids.values()), answering + " of " + n);
                byStep.put(n, perStep(messages));
            }
            pool.shutdown();
            byStep.forEach((n, table) -> {
                System.out.printf("%nWith %d in flight, per step: the hop that ends in its command, and the orchestrator's part of it%n%n", n);
                System.out.println("| next command | hops | hop p50 / p99, ms | orchestrator's part p50 / p99, ms |");
                System.out.println("| --- | --- | --- | --- |");
                table.forEach(System.out::println);
            });
            System.out.println();
            System.out.println("| instance | resident memory after the runs, MB |");
            System.out.println("| --- | --- |");
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar"))
                    .sorted(java.util.Comparator.comparing(p -> p.info().commandLine().orElse("")))
                    .forEach(p -> System.out.printf("| %s (pid %d) | %d |%n", module(p), p.pid(), residentMb(p.pid())));
        }
    }

    /** Waits until each migration's last state on the public progress stream is terminal; returns those states. */
    private static Map<String, String> awaitTerminal(LocalStack stack, Set<String> ids, long since, int timeoutSeconds) {
        Map<String, String> terminal = new HashMap<>();
        long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
        try (KafkaConsumer<String, String> consumer = consumer(stack)) {
            seek(consumer, List.of(Topics.MIGRATION_PROGRESS), since);
            while (terminal.size() < ids.size() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    CloudEvent e = Envelopes.decode(r.value());
                    String id = e.data().path("migrationId").asText();
                    if (ids.contains(id) && e.type().equals(MessageCatalog.of(MigrationStateChanged.class).type())) {
                        String to = e.data().path("to").asText();
                        if (TERMINAL.contains(to)) {
                            terminal.put(id, to);
                        } else {
                            terminal.remove(id);
                        }
                    }
                }
            }
        }
        return terminal;
    }

    /** Every command to a participant and every step event of these migrations, in the order published. */
    private static List<Message> read(LocalStack stack, Set<String> ids, long since) {
        List<Message> out = new ArrayList<>();
        List<String> topics = new ArrayList<>(COMMAND_TOPICS);
        topics.add(Topics.STEP_EVENTS);
        try (KafkaConsumer<String, String> consumer = consumer(stack)) {
            Map<TopicPartition, Long> ends = seek(consumer, topics, since);
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    CloudEvent e = Envelopes.decode(r.value());
                    String id = e.data().path("migrationId").asText();
                    if (ids.contains(id)) {
                        String type = MessageCatalog.byType(e.type()).map(c -> c.payload().getSimpleName()).orElse(e.type());
                        out.add(new Message(id, type, r.timestamp(), !r.topic().equals(Topics.STEP_EVENTS)));
                    }
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(Message::at));
        return out;
    }

    /** One step hop: the command that ended it, the whole hop, and the orchestrator's part (reply published to command published). */
    record Hop(String command, long millis, long orchestratorMillis) {
    }

    private static List<Hop> hops(List<Message> messages) {
        List<Hop> hops = new ArrayList<>();
        Map<String, Message> lastCommand = new HashMap<>();
        Map<String, Message> lastReply = new HashMap<>();
        for (Message m : messages) {
            if (m.command()) {
                Message before = lastCommand.put(m.migration(), m);
                Message reply = lastReply.remove(m.migration());
                if (before != null && reply != null) {
                    hops.add(new Hop(m.type(), m.at() - before.at(), m.at() - reply.at()));
                }
            } else if (!PROGRESS_EVENTS.contains(m.type())) {
                lastReply.put(m.migration(), m);
            }
        }
        return hops;
    }

    /** Transitions (commands published), their rates, and the hops' percentiles. */
    private static String figures(List<Message> messages) {
        List<Long> commandTimes = messages.stream().filter(Message::command).map(Message::at).toList();
        if (commandTimes.isEmpty()) {
            return "0 | - | - | - | -";
        }
        double span = Math.max(1, commandTimes.get(commandTimes.size() - 1) - commandTimes.get(0)) / 1000.0;
        int busiest = 0;
        for (int i = 0, j = 0; i < commandTimes.size(); i++) {
            while (commandTimes.get(i) - commandTimes.get(j) >= 10_000) {
                j++;
            }
            busiest = Math.max(busiest, i - j + 1);
        }
        return String.format("%d | %.1f | %.1f | %s", commandTimes.size(), commandTimes.size() / span,
                busiest / Math.min(10.0, span), percentiles(hops(messages)));
    }

    /** The hops by the command that ended them, in the saga's order. */
    private static List<String> perStep(List<Message> messages) {
        Map<String, List<Hop>> byCommand = new java.util.LinkedHashMap<>();
        hops(messages).forEach(h -> byCommand.computeIfAbsent(h.command(), c -> new ArrayList<>()).add(h));
        List<String> rows = new ArrayList<>();
        byCommand.forEach((command, h) -> rows.add(String.format("| %s | %d | %s |", command, h.size(), percentiles(h))));
        return rows;
    }

    private static String percentiles(List<Hop> hops) {
        List<Long> whole = hops.stream().map(Hop::millis).toList();
        List<Long> orchestrator = hops.stream().map(Hop::orchestratorMillis).toList();
        return String.format("%d / %d | %d / %d", percentile(whole, 50), percentile(whole, 99), percentile(orchestrator, 50),
                percentile(orchestrator, 99));
    }

    /** Each migration's time from created to its last update, from the API. */
    private static String durations(Http http, String api, Collection<String> ids) {
        List<Long> millis = new ArrayList<>();
        for (String id : ids) {
            JsonNode m = http.get(api + "/migrations/" + id).orThrow().body();
            millis.add(Duration.between(java.time.OffsetDateTime.parse(m.path("createdAt").asText()),
                    java.time.OffsetDateTime.parse(m.path("updatedAt").asText())).toMillis());
        }
        return String.format("%.1f / %.1f", percentile(millis, 50) / 1000.0, percentile(millis, 99) / 1000.0);
    }

    private static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static KafkaConsumer<String, String> consumer(LocalStack stack) {
        Properties p = new Properties();
        p.put("bootstrap.servers", stack.kafkaBootstrapServers());
        p.put("enable.auto.commit", "false");
        p.put("max.poll.records", "5000");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    /** Assigns every partition of these topics from the first record at or after {@code since}; returns the end offsets. */
    private static Map<TopicPartition, Long> seek(KafkaConsumer<String, String> consumer, List<String> topics, long since) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String t : topics) {
            consumer.partitionsFor(t).forEach(i -> partitions.add(new TopicPartition(t, i.partition())));
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, since));
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        consumer.offsetsForTimes(query).forEach((tp, found) -> consumer.seek(tp, found == null ? ends.get(tp) : found.offset()));
        return ends;
    }

    private interface Work<T> {
        T run(String env) throws Exception;
    }

    private static <T> List<T> all(ExecutorService pool, List<String> envs, Work<T> work) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (String env : envs) {
            futures.add(pool.submit(() -> work.run(env)));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get());
        }
        return results;
    }

    private static String module(ProcessHandle p) {
        String line = p.info().commandLine().orElse("");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([a-z-]+)/target/quarkus-app").matcher(line);
        return m.find() ? m.group(1) : line;
    }

    private static long residentMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (java.io.IOException e) {
            // gone
        }
        return -1;
    }
}
