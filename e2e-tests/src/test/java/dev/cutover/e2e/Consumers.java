package dev.cutover.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Kafka facts about the services' consumers. */
final class Consumers {

    static final List<String> GROUPS = List.of("orchestrator", "preflight-service", "provisioning-service",
            "data-sync-service", "traffic-service");

    private Consumers() {
    }

    /** Waits until every service has consumed everything on its topics (no lag). */
    static void awaitCaughtUp(String bootstrap, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (lag(admin) > 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("consumers still lag by " + lag(admin) + " messages after " + timeout);
                }
                Thread.sleep(100);
            }
        }
    }

    private static long lag(Admin admin) throws Exception {
        long lag = 0;
        for (String group : GROUPS) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get();
            for (var e : committed.entrySet()) {
                lag += ends.get(e.getKey()).offset() - (e.getValue() == null ? 0 : e.getValue().offset());
            }
        }
        return lag;
    }
}
