package dev.cutover.e2e;

import java.time.Duration;
import java.util.HashMap;
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

    /**
     * Waits until every service has consumed everything that was on its topics when this was called. Not "until no
     * lag": completed live migrations report their way back's lag every few seconds, and offsets are committed every
     * few seconds, so on a busy stack the lag is rarely zero.
     */
    static void awaitCaughtUp(String bootstrap, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<String, Map<TopicPartition, Long>> ends = new HashMap<>();
            for (String group : GROUPS) {
                ends.put(group, ends(admin, committed(admin, group).keySet()));
            }
            while (behind(admin, ends) > 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("consumers are still " + behind(admin, ends) + " messages short of where the topics ended "
                            + timeout + " ago");
                }
                Thread.sleep(100);
            }
        }
    }

    /** How many of the messages up to {@code ends} each group has not committed yet, summed. */
    private static long behind(Admin admin, Map<String, Map<TopicPartition, Long>> ends) throws Exception {
        long behind = 0;
        for (String group : GROUPS) {
            Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, group);
            for (var end : ends.get(group).entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                behind += Math.max(0, end.getValue() - (at == null ? 0 : at.offset()));
            }
        }
        return behind;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    }

    private static Map<TopicPartition, Long> ends(Admin admin, java.util.Set<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }
}
