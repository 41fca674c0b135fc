package dev.cutover.preflight.check;

import dev.cutover.contracts.Step;
import dev.cutover.contracts.migration.StepStarted;
import dev.cutover.contracts.preflight.CheckResult;
import dev.cutover.contracts.preflight.PreflightCompleted;
import dev.cutover.contracts.preflight.PreflightFailed;
import dev.cutover.contracts.preflight.RunPreflight;
import dev.cutover.kit.inbox.Deliveries;
import dev.cutover.kit.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.smallrye.reactive.messaging.annotations.Blocking;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Runs the checks for a migration and reports them. Nothing on the platform changes here. Commands arrive from Kafka. */
@ApplicationScoped
public class Preflight {

    @Inject
    Deliveries deliveries;

    @Inject
    Outbox outbox;

    @Inject
    FactGathering facts;

    /** A certificate expiring within this window blocks the migration. */
    @ConfigProperty(name = "cutover.preflight.certificate-margin")
    Duration certificateMargin;

    /** The copy rate the estimate assumes. */
    @ConfigProperty(name = "cutover.preflight.copy-megabytes-per-second")
    double copyRate;

    @Incoming("commands")
    @Blocking(ordered = false)
    public void receive(String record) {
        deliveries.deliver("commands", record, this);
    }

    public void on(RunPreflight command) {
        outbox.send(new StepStarted(command.migrationId(), command.recheck() ? Step.RECHECK : Step.PREFLIGHT));
        List<CheckResult> results = PreflightChecks.run(
                facts.gather(command),
                new Facts.Settings(certificateMargin, copyRate));
        if (results.stream().anyMatch(CheckResult::blocks)) {
            outbox.send(new PreflightFailed(command.migrationId(), command.recheck(), results, PreflightChecks.refusal(results)));
        } else {
            outbox.send(new PreflightCompleted(command.migrationId(), command.recheck(), results));
        }
    }
}
