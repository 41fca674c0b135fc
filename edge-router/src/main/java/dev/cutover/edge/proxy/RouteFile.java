package dev.cutover.edge.proxy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.platform.router.HostnameRoute;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The routes the router serves, kept in one JSON file ({@code cutover.router.routes-file}): a router restarted after a
 * crash serves every route at once, without waiting for the traffic service (which may be down too). Beside it, the
 * freezes under way (each environment's start, {@code <routes-file>.holds}): a router restarted inside a freeze goes on
 * holding until the switch-over releases it or its bound, counted from its first start, ends it. Each file is written
 * whole to a temporary file and moved over the old one, so a crash mid-write leaves the previous one, never half of it.
 */
@ApplicationScoped
public class RouteFile {

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "cutover.router.routes-file")
    Path file;

    List<HostnameRoute> load() {
        return read(file, new TypeReference<List<HostnameRoute>>() {
        }, List.of());
    }

    void save(Collection<HostnameRoute> routes) {
        write(file, routes);
    }

    /** The freezes under way: each held environment and when its freeze began (epoch milliseconds). */
    Map<String, Long> loadHolds() {
        return read(holds(), new TypeReference<Map<String, Long>>() {
        }, Map.of());
    }

    void saveHolds(Map<String, Long> startedAt) {
        write(holds(), startedAt);
    }

    private Path holds() {
        return file.resolveSibling(file.getFileName() + ".holds");
    }

    private <T> T read(Path from, TypeReference<T> type, T none) {
        if (!Files.exists(from)) {
            return none;
        }
        try {
            return json.readValue(from.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(from + " is not readable", e);
        }
    }

    private void write(Path to, Object value) {
        try {
            Path dir = to.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path next = Files.createTempFile(dir, to.getFileName().toString(), ".next");
            json.writeValue(next.toFile(), value);
            Files.move(next, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + to, e);
        }
    }
}
