package dev.cutover.sampleapp;

import java.util.Map;

/** The app's whole configuration, read from environment variables the way a platform hands it over. */
record Config(int port, String databaseUrl, String databaseUser, String databasePassword,
              String environment, String server, boolean migrateOnStart, String redisUrl) {

    static Config fromEnv(Map<String, String> env) {
        String port = required(env, "PORT");
        String url = required(env, "DATABASE_URL");
        if (!url.startsWith("jdbc:postgresql:")) {
            // The value itself may hold credentials, so only its shape is described.
            throw new IllegalArgumentException("DATABASE_URL must be a JDBC URL starting with jdbc:postgresql:");
        }
        int parsedPort;
        try {
            parsedPort = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PORT must be a number, got '" + port + "'");
        }
        if (parsedPort < 0 || parsedPort > 65535) {
            throw new IllegalArgumentException("PORT must be between 0 and 65535, got " + parsedPort);
        }
        String migrations = env.getOrDefault("MIGRATIONS", "auto").trim();
        if (!migrations.equals("auto") && !migrations.equals("manual")) {
            throw new IllegalArgumentException("MIGRATIONS must be auto or manual, got '" + migrations + "'");
        }
        return new Config(parsedPort, url, blankToNull(env.get("DATABASE_USER")), blankToNull(env.get("DATABASE_PASSWORD")),
                orUnknown(env.get("CUTOVER_ENVIRONMENT")), orUnknown(env.get("CUTOVER_SERVER")), migrations.equals("auto"),
                redisUrl(env.get("REDIS_URL")));
    }

    /** The database URL fit for logs: no query parameters (they may carry user and password) and no user info. */
    String redactedDatabaseUrl() {
        String withoutQuery = databaseUrl.contains("?") ? databaseUrl.substring(0, databaseUrl.indexOf('?')) : databaseUrl;
        return withoutQuery.replaceFirst("//[^/@]*@", "//");
    }

    String servedBy() {
        return environment + "@" + server;
    }

    /** Keeps the password out of any accidental log of the record. */
    @Override
    public String toString() {
        return "Config[port=" + port + ", databaseUrl=" + redactedDatabaseUrl() + "]";
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static String redisUrl(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!value.startsWith("redis://")) {
            throw new IllegalArgumentException("REDIS_URL must start with redis://");
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String orUnknown(String value) {
        return value == null || value.isBlank() ? "unknown" : value.trim();
    }
}
