package dev.cutover.platform;

import java.util.List;
import java.util.Map;

/** What a migration copies besides data. Env var values are secret: only their names are shown. */
public record Skeleton(
        List<String> envVarNames,
        Map<String, Integer> formation,
        Map<String, String> settings,
        List<Domain> domains,
        List<String> notifiers,
        List<String> logDrains,
        List<Autoscaler> autoscalers,
        List<String> collaborators) {

    /** A hostname and its certificate chain (PEM); the private key stays in the platform. */
    public record Domain(String hostname, String certificatePem) {
    }

    public record Autoscaler(String process, int min, int max, int targetCpuPercent) {
    }
}
