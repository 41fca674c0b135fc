package dev.cutover.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The Redis server the local platform's Redis addons run: the binary for this machine that the {@code embedded-redis}
 * jar from Maven Central ships (Redis 6.2), extracted into the run's work directory, so no Redis needs installing; where
 * the jar has none for this machine, the {@code redis-server} on the PATH.
 */
public final class RedisBinary {

    private RedisBinary() {
    }

    public static String extract(Path dir) throws IOException {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean arm = arch.contains("aarch64") || arch.contains("arm64");
        String resource = os.contains("linux") ? (arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64")
                : os.contains("mac") ? (arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64") : null;
        try (InputStream in = resource == null ? null : RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return "redis-server";
            }
            Path binary = Files.createDirectories(dir).resolve("redis-server");
            Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
            if (!binary.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + binary + " executable");
            }
            return binary.toString();
        }
    }
}
