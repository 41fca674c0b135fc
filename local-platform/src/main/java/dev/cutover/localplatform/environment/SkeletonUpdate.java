package dev.cutover.localplatform.environment;

import dev.cutover.platform.Skeleton;
import java.util.List;
import java.util.Map;

/** Sets parts of an environment's skeleton; a part left out (null) stays as it is. Env var values are write-only. */
public record SkeletonUpdate(
        Map<String, String> envVars,
        Map<String, Integer> formation,
        Map<String, String> settings,
        List<EnvironmentEntity.StoredDomain> domains,
        List<String> notifiers,
        List<String> logDrains,
        List<Skeleton.Autoscaler> autoscalers,
        List<String> collaborators) {
}
