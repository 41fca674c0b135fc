package dev.cutover.e2e;

import dev.cutover.contracts.CloudEvent;
import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads every Cutover topic from the beginning, as a dashboard (progress) and an auditor (the rest) would. */
final class ProgressRecorder {

    /** One record as it was on the broker; {@code reason}: a dead letter's {@code dead-letter-reason} header. */
    record Seen(String topic, String key, String value, CloudEvent event, String reason) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    static ProgressRecorder start(String bootstrap) {
        ProgressRecorder recorder = new ProgressRecorder();
        Thread t = new Thread(() -> recorder.run(bootstrap), "recorder");
        t.setDaemon(true);
        t.start();
        return recorder;
    }

    private void run(String bootstrap) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-recorder-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(Topics.ALL);
            while (true) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    CloudEvent event = null;
                    try {
                        event = Envelopes.decode(r.value());
                    } catch (RuntimeException malformed) {
                        // dead letters may be anything
                    }
                    Header reason = r.headers().lastHeader("dead-letter-reason");
                    seen.add(new Seen(r.topic(), r.key(), r.value(), event,
                            reason == null ? null : new String(reason.value(), StandardCharsets.UTF_8)));
                }
            }
        }
    }

    /** Everything seen with this key (a migration id), in broker order per topic. */
    List<Seen> about(String key) {
        List<Seen> result = new ArrayList<>();
        for (Seen s : seen) {
            if (key.equals(s.key())) {
                result.add(s);
            }
        }
        return result;
    }

    List<Seen> on(String topic) {
        return seen.stream().filter(s -> s.topic().equals(topic)).toList();
    }
}
