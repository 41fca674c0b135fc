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
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The routes the router serves, kept in one JSON file ({@code cutover.router.routes-file}): a router restarted after a
 * crash serves every route at once, without waiting for the traffic service (which may be down too). Written whole to
 * a temporary file and moved over the old one, so a crash mid-write leaves the previous routes, never half of them.
 */
@ApplicationScoped
public class RouteFile {

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "cutover.router.routes-file")
    Path file;

    List<HostnameRoute> load() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return json.readValue(file.toFile(), new TypeReference<List<HostnameRoute>>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException("the routes in " + file + " are not readable", e);
        }
    }

    void save(Collection<HostnameRoute> routes) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path next = Files.createTempFile(dir, "routes", ".json");
            json.writeValue(next.toFile(), routes);
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("the routes could not be written to " + file, e);
        }
    }
}
