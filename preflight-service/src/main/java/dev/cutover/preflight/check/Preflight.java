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
import dev.cutover.platform.Platform;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;

/** Runs the checks for a migration and reports them. Nothing on the platform changes here. */
@ApplicationScoped
public class Preflight {

    private static final String CONSUMER = "preflight-service";

    @Inject
    Inbox inbox;

    @Inject
    Outbox outbox;

    @Inject
    Platform platform;

    @Transactional
    public void handle(String messageId, Message message) {
        if (!(message instanceof RunPreflight command)) {
            throw new MalformedMessageException("preflight-service does not handle " + message.getClass().getSimpleName());
        }
        if (!inbox.firstDelivery(CONSUMER, messageId)) {
            return;
        }
        outbox.send(new StepStarted(command.migrationId(), Step.PREFLIGHT));
        List<CheckResult> results = PreflightChecks.run(command.environment(), platform.environment(command.environment()),
                command.targetServer(), platform.server(command.targetServer()), command.strategy());
        if (results.stream().anyMatch(CheckResult::blocks)) {
            outbox.send(new PreflightFailed(command.migrationId(), results, PreflightChecks.refusal(results)));
        } else {
            outbox.send(new PreflightCompleted(command.migrationId(), results));
        }
    }
}
