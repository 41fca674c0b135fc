package dev.cutover.platform;

/** Where environments run: a PostgreSQL server plus an app host, in a region. */
public record Server(String name, String region, boolean online, Capacity capacity, Capacity free, String postgresVersion) {

    /** Memory and disk in MB, and how many environments fit. */
    public record Capacity(long memoryMb, long diskMb, int environments) {
    }
}
