package dev.cutover.orchestrator.migration;

import dev.cutover.orchestrator.saga.MigrationState;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus metrics (at {@code /q/metrics}): migrations by state, step durations, rows and bytes copied, the freeze.
 * Dead-lettered messages are counted where they are received ({@code cutover_messages_dead_lettered_total}).
 */
@ApplicationScoped
public class MigrationMetrics {

    private final Map<MigrationState, AtomicLong> byState = new EnumMap<>(MigrationState.class);
    private final MeterRegistry registry;

    @Inject
    public MigrationMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (MigrationState state : MigrationState.values()) {
            AtomicLong count = new AtomicLong();
            byState.put(state, count);
            registry.gauge("cutover.migrations", List.of(Tag.of("state", state.label())), count);
        }
    }

    /** Counted from the database, so every orchestrator instance reports the same, also after a restart. */
    @Scheduled(every = "${cutover.timeouts.check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void countByState() {
        Map<MigrationState, Long> counts = new EnumMap<>(MigrationState.class);
        Migration.getEntityManager().createQuery("select m.state, count(m) from Migration m group by m.state", Object[].class)
                .getResultList().forEach(row -> counts.put((MigrationState) row[0], (Long) row[1]));
        byState.forEach((state, gauge) -> gauge.set(counts.getOrDefault(state, 0L)));
    }

    void stepFinished(String step, String status, Duration took) {
        Timer.builder("cutover.step.duration").tag("step", step).tag("status", status).register(registry).record(took);
    }

    void dataCopied(long rows, long bytes) {
        registry.counter("cutover.data.copied.rows").increment(rows);
        registry.counter("cutover.data.copied.bytes").increment(bytes);
    }

    void freeze(long millis) {
        DistributionSummary.builder("cutover.freeze.duration").baseUnit("milliseconds").register(registry).record(millis);
    }
}
