package dev.cutover.contracts.provisioning;

import dev.cutover.contracts.Failure;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** The target, already serving, could not be protected and made the default. */
public record PromotionFailed(UUID migrationId, String reason) implements Failure {
    public PromotionFailed {
        Required.present(migrationId, "migrationId");
        Required.present(reason, "reason");
    }
}
