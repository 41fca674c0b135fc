package dev.cutover.platform;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An application environment as the platform shows it. Env var values are never in it ({@link Skeleton#envVarNames()});
 * {@code backendUrl} is where its running release answers HTTP, {@code null} when it doesn't run.
 */
public record Environment(
        String name,
        String owner,
        String server,
        String region,
        Plan plan,
        String release,
        String status,
        String backendUrl,
        Flags flags,
        Skeleton skeleton,
        List<Database> databases) {

    /** {@code memoryMb}: what the plan takes on its server (filled in by the platform). */
    public record Plan(String size, boolean ha, long memoryMb) {
    }

    public record Flags(boolean maintenance, boolean frozen, @JsonProperty("protected") boolean isProtected,
                        @JsonProperty("default") boolean isDefault) {
    }

    /** A PostgreSQL (or, later, Redis) addon: where it lives, never how to log in. */
    public record Database(String name, String kind, String plan, String version, String server, long sizeBytes) {
    }

    public boolean running() {
        return "running".equals(status);
    }
}
