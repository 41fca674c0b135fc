package dev.cutover.platform;

/**
 * Where environments run: a PostgreSQL server plus an app host, in a region; {@code redisVersion} is the Redis its Redis
 * addons run, {@code null} when it offers none.
 */
public record Server(String name, String region, boolean online, Capacity capacity, Capacity free, String postgresVersion,
                     String redisVersion) {

    /** Memory and disk in MB, and how many environments fit. */
    public record Capacity(long memoryMb, long diskMb, int environments) {
    }
}
