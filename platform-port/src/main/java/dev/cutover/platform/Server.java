package dev.cutover.platform;

import java.util.Map;

/**
 * Where environments run: a PostgreSQL server plus an app host, in a region; {@code redisVersion} is the Redis its Redis
 * addons run, {@code null} when it offers none, and {@code redisPlans} the memory in MB of each Redis plan it offers
 * (each plan also fixes persistence and eviction).
 */
public record Server(String name, String region, boolean online, Capacity capacity, Capacity free, String postgresVersion,
                     String redisVersion, Map<String, Long> redisPlans) {

    /** Memory and disk in MB, and how many environments fit. */
    public record Capacity(long memoryMb, long diskMb, int environments) {
    }
}
