package dev.cutover.preflight.check;

import dev.cutover.contracts.MalformedMessageException;
import dev.cutover.contracts.Message;
import dev.cutover.contracts.Step;
import dev.cutover.contracts.migration.StepStarted;
import dev.cutover.contracts.preflight.CheckResult;
import dev.cutover.contracts.preflight.PreflightCompleted;
import dev.cutover.contracts.preflight.PreflightFailed;
import dev.cutover.contracts.preflight.RunPreflight;
import dev.cutover.kit.inbox.Inbox;
import dev.cutover.kit.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Runs the checks for a migration and reports them. Nothing on the platform changes here. */
@ApplicationScoped
public class Preflight {

    private static final String CONSUMER = "preflight-service";

    @Inject
    Inbox inbox;

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

    @Transactional
    public void handle(String messageId, Message message) {
        if (!(message instanceof RunPreflight command)) {
            throw new MalformedMessageException("preflight-service does not handle " + message.getClass().getSimpleName());
        }
        if (!inbox.firstDelivery(CONSUMER, messageId)) {
            return;
        }
        outbox.send(new StepStarted(command.migrationId(), command.recheck() ? Step.RECHECK : Step.PREFLIGHT));
        List<CheckResult> results = PreflightChecks.run(
                facts.gather(command.environment(), command.targetServer(), command.strategy(), command.recheck()),
                new Facts.Settings(certificateMargin, copyRate));
        if (results.stream().anyMatch(CheckResult::blocks)) {
            outbox.send(new PreflightFailed(command.migrationId(), command.recheck(), results, PreflightChecks.refusal(results)));
        } else {
            outbox.send(new PreflightCompleted(command.migrationId(), command.recheck(), results));
        }
    }
}
