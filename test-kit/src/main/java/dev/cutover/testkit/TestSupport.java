package dev.cutover.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;

/** For the services' tests: plain Kafka clients and JDBC against the shared test broker and database, and a small polling helper. */
public final class TestSupport {

    /**
     * Every REST Assured request of the test class from now on carries a token of the test issuer with these roles (the
     * APIs ask for one); call it from a {@code @BeforeAll}.
     */
    public static void authorize(String... roles) {
        bearer("Bearer " + dev.cutover.stack.Tokens.forTests().mint("test", "acme", Duration.ofHours(1), roles));
    }

    /** Every REST Assured request carries this Authorization header (a filter: Quarkus keeps its port and base URI). */
    public static void bearer(String authorization) {
        io.restassured.RestAssured.replaceFiltersWith((request, response, context) -> {
            request.replaceHeader("Authorization", authorization);
            return context.next(request, response);
        });
    }


    public static final Duration WAIT = Duration.ofSeconds(30);

    private TestSupport() {
    }

    /** Publishes one record and waits for the broker's acknowledgement. */
    public static void send(String topic, String key, String value) {
        sendAll(topic, key, List.of(value));
    }

    /** Publishes every value in order, with one key (so to one partition), through one producer. */
    public static void sendAll(String topic, String key, List<String> values) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedTestInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, key, value));
            }
            producer.flush();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    /** Waits until {@code count} records with this key (and matching {@code filter}) are on the topic; returns them in order. */
    public static List<ConsumerRecord<String, String>> awaitRecords(String topic, String key, Predicate<ConsumerRecord<String, String>> filter,
                                                             int count) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (found.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key()) && filter.test(r)) {
                        found.add(r);
                    }
                }
            }
        }
        if (found.size() < count) {
            fail("expected " + count + " record(s) keyed " + key + " on " + topic + " within " + WAIT.toSeconds() + " s, found "
                    + found.stream().map(ConsumerRecord::value).toList());
        }
        return found;
    }

    public static List<ConsumerRecord<String, String>> awaitRecords(String topic, String key, int count) {
        return awaitRecords(topic, key, r -> true, count);
    }

    /** Every record with this key that is on the topic now (read up to the current end of each partition). */
    public static List<ConsumerRecord<String, String>> readAll(String topic, String key) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    fail("could not read " + topic + " to its end");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                }
            }
        }
        return found;
    }

    /** A key that Kafka's default partitioner puts on the same partition of {@code topic} as {@code key}. */
    public static String keyBeside(String topic, String key) {
        int count;
        try (KafkaConsumer<String, String> consumer = consumer()) {
            count = partitions(consumer, topic).size();
        }
        int partition = partition(key, count);
        while (true) {
            String other = java.util.UUID.randomUUID().toString();
            if (partition(other, count) == partition) {
                return other;
            }
        }
    }

    private static int partition(String key, int partitions) {
        return org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
    }

    /** The first dead letter published with this key. */
    public static ConsumerRecord<String, String> awaitDeadLetter(String key) {
        return awaitRecords(dev.cutover.contracts.Topics.DEAD_LETTERS, key, 1).get(0);
    }

    /** A well-formed CloudEvent whose type no Cutover message has. */
    public static String unknownTypeEvent(String key) {
        return """
                {"specversion":"1.0","id":"%s","source":"/test","type":"dev.cutover.no-such.thing.v1","subject":"%s",
                 "datacontenttype":"application/json","data":{"migrationId":"%s"}}""".formatted(UUID.randomUUID(), key, UUID.randomUUID());
    }

    /** A valid envelope around {@code message}, with {@code field} taken out of its data. */
    public static String withoutField(dev.cutover.contracts.Message message, String field) {
        dev.cutover.contracts.CloudEvent event = dev.cutover.contracts.Envelopes.wrap("/test", message);
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.data()).remove(field);
        return dev.cutover.contracts.Envelopes.encode(event);
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static String uniqueKey(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Retries {@code check} until it returns without throwing, or fails with its last error after {@link #WAIT}. */
    public static <T> T eventually(Callable<T> check) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return check.call();
            } catch (Throwable e) {
                if (System.nanoTime() > deadline) {
                    if (e instanceof AssertionError a) {
                        throw a;
                    }
                    throw new AssertionError("still failing after " + WAIT.toSeconds() + " s", e);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    public static void eventually(Runnable check) {
        eventually(() -> {
            check.run();
            return null;
        });
    }

    /** Rows of a query on the service's own database, each row's columns as strings. */
    public static List<List<String>> query(String database, String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(SharedTestInfrastructure.jdbcUrl(database), "postgres", "")) {
            return rows(c, sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException("query on " + database + " failed: " + sql, e);
        }
    }

    /** Rows of a query on a connection, each row's columns as strings. */
    public static List<List<String>> rows(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                q.setObject(i + 1, params[i]);
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedTestInfrastructure.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    /** The service started with every Flyway migration it ships applied, none failed, the kit's inbox and outbox first. */
    public static void assertEveryMigrationApplied(Flyway flyway) {
        MigrationInfoService info = flyway.info();
        assertEquals(List.of(), Arrays.stream(info.pending()).map(MigrationInfo::getScript).toList(), "migrations not applied");
        List<MigrationInfo> applied = Arrays.stream(info.applied()).filter(m -> m.getVersion() != null).toList();
        assertEquals(List.of(), applied.stream().filter(m -> m.getState().isFailed()).map(MigrationInfo::getScript).toList(), "failed");
        assertEquals("messaging", applied.get(0).getDescription(), "the kit's inbox and outbox come first");
    }
}
