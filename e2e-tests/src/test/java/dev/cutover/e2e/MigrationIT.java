package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.contracts.Topics;
import dev.cutover.platform.redis.RedisConnection;
import dev.cutover.stack.Http;
import dev.cutover.stack.LoadDriver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * One {@code live} migration of a real environment from eu-1 to eu-2, through every service over Kafka, under traffic:
 * the writes made while it waits for confirmation reach the target through logical replication.
 */
class MigrationIT {

    private static final String ENV = "shop";
    private static final String DOMAIN = "shop.example.com";

    @Test
    void movesTheEnvironmentToEu2LiveUnderTrafficWithoutAFailedRequestOrALostRowLeavingNoSlotAndRedeliveriesChangeNothing() throws Exception {
        Stack.environment(ENV, DOMAIN);
        Stack.seedRedis(ENV);
        Map<String, String> seeded = Stack.redisFingerprint(ENV, "activity");
        long seededAt = System.currentTimeMillis();
        LoadDriver load = LoadDriver.start(Stack.get().routerUrl(), DOMAIN, 40);
        Stack.sleep(1500);

        String id = Stack.start(ENV, Map.of("strategy", "live"));
        JsonNode waiting = Stack.awaitState(id, s -> s.equals("awaiting-confirmation") || Stack.TERMINAL.contains(s),
                Duration.ofSeconds(90));
        assertEquals("awaiting-confirmation", waiting.path("state").asText(), waiting.toPrettyString());
        assertEquals("shop@eu-1", served(DOMAIN).header("X-Served-By"), "until the switch-over the source serves");
        assertEquals("running", Stack.HTTP.get(Stack.platform() + "/environments/shop-eu-2").orThrow().body().path("status").asText(),
                "the verified target runs its release");

        Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/confirm", null).orThrow();
        Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(90));
        // Every row of the source compared with the target as it was at the switch point, after the release.
        JsonNode done = Stack.awaitSwitchPointVerified(id);
        Stack.sleep(1000);
        LoadDriver.Report traffic = load.stop();

        assertEquals("completed", done.path("state").asText(), done.toPrettyString());
        assertEquals(0, traffic.failed(), "failed requests: " + traffic.failures());
        assertTrue(traffic.ackedWrites().size() > 20, "the traffic wrote: " + traffic.ackedWrites().size());

        // Every write the app acknowledged, before, during and after the switch-over, is on the target.
        assertEquals(traffic.ackedWrites().size(), Stack.customersAmong("shop-eu-2", traffic.ackedWrites()));
        // Every row of the source is on the target, byte for byte (read once: the way back keeps adding the target's new
        // rows to the source).
        List<Long> ids = sourceIds();
        assertEquals(digest(ENV, ids), digest("shop-eu-2", ids));
        Map<String, String> source = Stack.fingerprint(ENV);
        Map<String, String> target = Stack.fingerprint("shop-eu-2");
        assertEquals(source.get("public.orders"), target.get("public.orders"));
        assertEquals(source.get("public.schema_migrations"), target.get("public.schema_migrations"));

        // Redis: every key written straight into the source is on the target as it was, its TTL kept; every customer the
        // app acknowledged has its profile there; the cache starts empty; and the source, following the target since the
        // switch-over, holds exactly the target's keys.
        Map<String, String> targetKeys = Stack.redisFingerprint("shop-eu-2", "activity");
        for (String key : List.of("0/greeting", "0/profile", "0/queue", "0/tags", "0/board", "3/in-db-3")) {
            assertEquals(seeded.get(key), targetKeys.get(key), key);
        }
        try (RedisConnection r = Stack.redis("shop-eu-2", "activity"); RedisConnection cache = Stack.redis("shop-eu-2", "cache")) {
            long ttl = (Long) r.call("PTTL", "greeting");
            assertTrue(ttl <= 3_600_000 - (System.currentTimeMillis() - seededAt) + 2_000 && ttl > 3_600_000
                    - (System.currentTimeMillis() - seededAt) - 2_000, "the TTL moved with the key: " + ttl + " ms left");
            List<Object> exists = r.pipeline(traffic.ackedWrites().stream().map(c -> new Object[] {"EXISTS", "customer:" + c}).toList());
            assertEquals(traffic.ackedWrites().size(), exists.stream().mapToLong(e -> (Long) e).sum(), "acknowledged customers in Redis");
            assertEquals(0L, cache.call("DBSIZE"), "the target's cache is emptied, not copied");
        }
        for (int i = 0; i < 50 && !Stack.redisFingerprint(ENV, "activity").equals(Stack.redisFingerprint("shop-eu-2", "activity")); i++) {
            Stack.sleep(100);
        }
        assertEquals(Stack.redisFingerprint("shop-eu-2", "activity"), Stack.redisFingerprint(ENV, "activity"),
                "the way back: the source's Redis follows the target's");

        // The environment's address, and the old platform address, now reach eu-2.
        assertEquals("shop-eu-2@eu-2", served(DOMAIN).header("X-Served-By"));
        assertEquals("shop-eu-2@eu-2", served("shop.apps.localhost").header("X-Served-By"));
        for (int i = 0; i < 100 && AbortIT.replicationObjects(ENV) > 0; i++) {
            Stack.sleep(100);
        }
        assertEquals(0, AbortIT.replicationObjects(ENV), "no replication slot or publication is left on the source after the freeze");

        // The migration's own record: every step completed with timings, the freeze measured, the history complete.
        for (JsonNode step : done.path("steps")) {
            assertEquals("completed", step.path("status").asText(), step.toString());
            assertFalse(step.path("finishedAt").isNull(), step.toString());
        }
        assertTrue(figure(done, "switch-over", "freezeMillis") > 0);
        List<String> history = new ArrayList<>();
        done.path("history").forEach(h -> {
            assertFalse(h.path("actor").asText().isBlank());
            assertFalse(h.path("reason").asText().isBlank());
            history.add(h.path("to").asText());
        });
        assertEquals(List.of("preflight", "prepare", "sync", "verify", "awaiting-confirmation", "switch-over", "completed"),
                distinctRuns(history));

        // The public progress topic tells the same story, in order.
        List<String> story = new ArrayList<>();
        for (ProgressRecorder.Seen s : Stack.recorder().about(id)) {
            if (s.topic().equals(Topics.MIGRATION_PROGRESS) && s.event().type().equals("dev.cutover.migration.state-changed.v1")) {
                story.add(s.event().data().path("to").asText());
            }
        }
        assertEquals(distinctRuns(history), distinctRuns(story));

        // One migration is one trace: every message of it, from all five services, carries the same W3C trace id.
        List<ProgressRecorder.Seen> messages = Stack.recorder().about(id);
        assertEquals(Set.of("/cutover/orchestrator", "/cutover/preflight-service", "/cutover/provisioning-service",
                "/cutover/data-sync-service", "/cutover/traffic-service"),
                messages.stream().map(m -> m.event().source()).collect(Collectors.toSet()));
        assertEquals(1, messages.stream().map(m -> m.event().traceparent().substring(3, 35)).distinct().count(),
                "trace ids: " + messages.stream().map(m -> m.event().traceparent()).collect(Collectors.toSet()));

        redeliveringEveryCommandAndEventChangesNothing(id, done, target);
    }

    /** The same messages again (same CloudEvent ids) on the same topics: consumers recognise them and do nothing. */
    private void redeliveringEveryCommandAndEventChangesNothing(String id, JsonNode before, Map<String, String> targetBefore)
            throws Exception {
        List<ProgressRecorder.Seen> sent = Stack.recorder().about(id).stream()
                .filter(s -> s.topic().endsWith(".commands") || s.topic().equals(Topics.STEP_EVENTS)).toList();
        assertTrue(sent.size() > 15, "commands and events of the migration: " + sent.size());
        int deadLetters = Stack.recorder().on(Topics.DEAD_LETTERS).size();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.get().kafkaBootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (ProgressRecorder.Seen s : sent) {
                producer.send(new ProducerRecord<>(s.topic(), s.key(), s.value()));
            }
        }
        Consumers.awaitCaughtUp(Stack.get().kafkaBootstrapServers(), Duration.ofSeconds(60));
        Stack.sleep(1500);

        JsonNode after = Stack.migration(id);
        assertEquals(before.path("state"), after.path("state"));
        assertEquals(before.path("history").size(), after.path("history").size(), "no transition was made twice");
        assertEquals(targetBefore.get("public.orders"), Stack.fingerprint("shop-eu-2").get("public.orders"));
        assertEquals("shop-eu-2@eu-2", served(DOMAIN).header("X-Served-By"));
        assertEquals(deadLetters, Stack.recorder().on(Topics.DEAD_LETTERS).size(), "a duplicate is not a poison message");
    }

    private static Http.Answer served(String host) {
        return Stack.HTTP.send("GET", Stack.get().routerUrl() + "/stats", null, Map.of("Host", host)).orThrow();
    }

    private static long figure(JsonNode view, String step, String figure) {
        for (JsonNode s : view.path("steps")) {
            if (s.path("step").asText().equals(step)) {
                return s.path("figures").path(figure).asLong();
            }
        }
        return -1;
    }

    private static List<String> distinctRuns(List<String> states) {
        List<String> runs = new ArrayList<>();
        for (String s : states) {
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(s)) {
                runs.add(s);
            }
        }
        return runs;
    }

    private static final String DIGEST = "select count(*) || ':' || md5(string_agg(c::text, '|' order by c.id)) from customers c where id = any(?)";

    private static List<Long> sourceIds() throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection c = Stack.connect(ENV, "main"); ResultSet rs = c.createStatement().executeQuery("select id from customers")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private static String digest(String environment, List<Long> ids) throws Exception {
        try (Connection c = Stack.connect(environment, "main"); PreparedStatement q = c.prepareStatement(DIGEST)) {
            q.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
