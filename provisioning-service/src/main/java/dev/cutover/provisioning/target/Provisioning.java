package dev.cutover.provisioning.target;

import dev.cutover.contracts.Step;
import dev.cutover.contracts.migration.CleanupFailed;
import dev.cutover.contracts.migration.CompensationFailed;
import dev.cutover.contracts.migration.StepProgressed;
import dev.cutover.contracts.migration.StepStarted;
import dev.cutover.contracts.provisioning.CompleteMigration;
import dev.cutover.contracts.provisioning.CompletionCompensated;
import dev.cutover.contracts.provisioning.PromotionFailed;
import dev.cutover.contracts.provisioning.ProvisionTarget;
import dev.cutover.contracts.provisioning.ProvisioningCompensated;
import dev.cutover.contracts.provisioning.ProvisioningFailed;
import dev.cutover.contracts.provisioning.RetireSource;
import dev.cutover.contracts.provisioning.SourceRetired;
import dev.cutover.contracts.provisioning.TargetPromoted;
import dev.cutover.contracts.provisioning.TargetProvisioned;
import dev.cutover.contracts.provisioning.UndoCompleteMigration;
import dev.cutover.contracts.provisioning.UndoProvisionTarget;
import dev.cutover.kit.inbox.Deliveries;
import dev.cutover.kit.outbox.Outbox;
import dev.cutover.platform.Environment;
import dev.cutover.platform.NewEnvironment;
import dev.cutover.platform.Platform;
import dev.cutover.platform.PlatformException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Creates the target environment with the source's skeleton and release and freezes the source; undoes it; promotes the
 * target once traffic reaches it; removes the source once the migration is finalized. Platform operations are idempotent,
 * so a redelivered command after a crash is safe.
 * Every command is answered (README, the error rule): what the platform refuses becomes the command's failure event.
 */
@ApplicationScoped
public class Provisioning {

    @Inject
    Deliveries deliveries;

    @Inject
    Outbox outbox;

    @Inject
    Platform platform;

    @Incoming("commands")
    @Blocking(ordered = false)
    public void receive(String record) {
        deliveries.deliver("commands", record, this);
    }

    public void on(ProvisionTarget c) {
        outbox.send(new StepStarted(c.migrationId(), Step.PREPARE));
        try {
            Environment source = platform.environment(c.environment())
                    .orElseThrow(() -> new PlatformException(404, "environment " + c.environment() + " no longer exists"));
            boolean ours = ProvisionedTarget.findById(c.migrationId()) != null;
            if (!ours && platform.environment(c.targetName()).isPresent()) {
                outbox.send(new ProvisioningFailed(c.migrationId(), "an environment named " + c.targetName()
                        + " already exists: choose another new name"));
                return;
            }
            if (!ours) {
                // Committed before the target exists: after a crash, the redelivered command knows the target is its own.
                QuarkusTransaction.requiringNew().run(() -> {
                    ProvisionedTarget created = new ProvisionedTarget();
                    created.migrationId = c.migrationId();
                    created.targetName = c.targetName();
                    created.sourceName = source.name();
                    created.persist();
                });
            }
            platform.createEnvironment(new NewEnvironment(c.targetName(), source.owner(), c.targetServer(), source.plan()));
            platform.copySkeleton(source.name(), c.targetName());
            progress(c, "target " + c.targetName() + " created on " + c.targetServer() + " with the skeleton of " + source.name());
            if (source.release() != null) {
                platform.deploy(c.targetName(), source.release());
                progress(c, "release " + source.release() + " deployed on " + c.targetName());
            }
            platform.setFrozen(source.name(), true);
            outbox.send(new TargetProvisioned(c.migrationId(), c.targetName()));
        } catch (PlatformException e) {
            outbox.send(new ProvisioningFailed(c.migrationId(), e.getMessage()));
        }
    }

    public void on(UndoProvisionTarget c) {
        try {
            ProvisionedTarget created = ProvisionedTarget.findById(c.migrationId());
            if (created != null) {
                destroyIfPresent(created.targetName);
            }
            platform.environment(c.environment()).ifPresent(source -> {
                platform.setFrozen(source.name(), false);
                if (source.release() != null) {
                    platform.start(source.name());
                }
            });
            outbox.send(new ProvisioningCompensated(c.migrationId()));
        } catch (PlatformException e) {
            outbox.send(new CompensationFailed(c.migrationId(), Step.PREPARE, "undoing the target failed: " + e.getMessage()));
        }
    }

    public void on(CompleteMigration c) {
        try {
            platform.setProtected(c.targetName(), true);
            platform.makeDefault(c.targetName());
            outbox.send(new TargetPromoted(c.migrationId(), c.targetName()));
        } catch (PlatformException e) {
            outbox.send(new PromotionFailed(c.migrationId(), "promoting " + c.targetName() + " failed: " + e.getMessage()));
        }
    }

    /** Rollback: the source is the default again and may change; the target, unprotected, is then removed (the prepare step's compensation). */
    public void on(UndoCompleteMigration c) {
        try {
            platform.setProtected(c.targetName(), false);
            platform.makeDefault(c.environment());
            platform.setFrozen(c.environment(), false);
            platform.start(c.environment());
            outbox.send(new CompletionCompensated(c.migrationId()));
        } catch (PlatformException e) {
            outbox.send(new CompensationFailed(c.migrationId(), Step.COMPLETE, "making " + c.environment()
                    + " the default again failed: " + e.getMessage()));
        }
    }

    /**
     * Finalize: the source, kept running (fenced) until now so that a rollback could send its requests back to it at once,
     * is unprotected and destroyed with its processes, databases and roles.
     */
    public void on(RetireSource c) {
        try {
            if (platform.environment(c.environment()).isPresent()) {
                platform.setProtected(c.environment(), false);
                destroyIfPresent(c.environment());
            }
            outbox.send(new SourceRetired(c.migrationId(), c.environment()));
        } catch (PlatformException e) {
            outbox.send(new CleanupFailed(c.migrationId(), Step.PREPARE, "removing the source " + c.environment() + " failed: "
                    + e.getMessage()));
        }
    }

    private void destroyIfPresent(String environment) {
        try {
            platform.destroy(environment);
        } catch (PlatformException e) {
            if (!e.notFound()) {
                throw e;
            }
        }
    }

    private void progress(ProvisionTarget c, String detail) {
        outbox.send(new StepProgressed(c.migrationId(), Step.PREPARE, detail, Map.of(), null));
    }
}
