package dev.cutover.kit.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox rows to Kafka, in insertion order, then deletes them in the same transaction that read
 * them. A crash between the broker's acknowledgement and the delete publishes a row twice: consumers drop the repeat
 * by message id. Woken right after each commit; a periodic pass catches what a crash or a broker outage left behind.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Only one relay of a service publishes at a time, so two instances can't interleave one migration's messages. */
    private static final long RELAY_LOCK = 0x6375746f766572L;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry metrics;

    /** Every {@code kafka.*} setting (bootstrap servers, and security: SASL, TLS), as the connector's channels get them. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @ConfigProperty(name = "cutover.outbox.poll-interval", defaultValue = "1s")
    Duration pollInterval;

    @ConfigProperty(name = "cutover.outbox.batch-size", defaultValue = "500")
    int batchSize;

    private final AtomicBoolean pending = new AtomicBoolean();
    private ScheduledExecutorService worker;
    private KafkaProducer<String, String> producer;
    private Counter published;

    void start(@Observes StartupEvent ignored) {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        producer = new KafkaProducer<>(settings);
        published = metrics.counter("cutover.outbox.published");
        worker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "outbox-relay"));
        worker.scheduleWithFixedDelay(this::drain, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    /** Asks for a pass soon; passes never overlap and a burst of commits costs one pass. */
    public void wake() {
        if (worker != null && pending.compareAndSet(false, true)) {
            worker.execute(this::drain);
        }
    }

    private void drain() {
        pending.set(false);
        try {
            while (QuarkusTransaction.requiringNew().call(this::publishBatch) == batchSize) {
                // a full batch: there may be more
            }
        } catch (RuntimeException e) {
            // Left in the table, published on a later pass: nothing is lost, and the failure is visible.
            LOG.warnf("outbox relay pass failed, will retry: %s", e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private int publishBatch() throws ExecutionException, InterruptedException {
        Boolean locked = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                .setParameter(1, RELAY_LOCK).getSingleResult();
        if (!locked) {
            return 0;
        }
        List<Object[]> rows = em.createNativeQuery(
                "select id, topic, message_key, payload, traceparent from outbox_message order by seq limit ?1")
                .setParameter(1, batchSize).getResultList();
        if (rows.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>(rows.size());
        List<Object> ids = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            ids.add(row[0]);
            ProducerRecord<String, String> record = new ProducerRecord<>((String) row[1], (String) row[2], (String) row[3]);
            record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.US_ASCII));
            if (row[4] != null) {
                record.headers().add("traceparent", ((String) row[4]).getBytes(StandardCharsets.US_ASCII));
            }
            sends.add(producer.send(record));
        }
        for (Future<RecordMetadata> send : sends) {
            send.get();
        }
        em.createNativeQuery("delete from outbox_message where id in (?1)").setParameter(1, ids).executeUpdate();
        published.increment(rows.size());
        return rows.size();
    }
}
