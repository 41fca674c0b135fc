package dev.cutover.localplatform.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.platform.PlatformException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs releases as real processes: a release named R is the jar {@code R.jar} in the releases directory, started with
 * the environment's env vars and answering HTTP on its own port. Processes stop with the platform and are started
 * again when it comes back (environments keep their "running" status). The release {@value LightReleases#RELEASE} is the
 * exception: {@link LightReleases} serves it inside the platform.
 */
@ApplicationScoped
public class AppProcesses {

    private static final Logger LOG = Logger.getLogger(AppProcesses.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "local-platform.releases-dir")
    Path releasesDir;

    @ConfigProperty(name = "local-platform.apps-dir")
    Path appsDir;

    @ConfigProperty(name = "local-platform.app-heap", defaultValue = "48m")
    String appHeap;

    @ConfigProperty(name = "local-platform.app-start-timeout", defaultValue = "30s")
    Duration startTimeout;

    @Inject
    LightReleases light;

    private final Map<String, ProcessHandle> processes = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public boolean releaseExists(String release) {
        return LightReleases.RELEASE.equals(release)
                || release != null && release.matches("[A-Za-z0-9._-]+") && Files.isRegularFile(jar(release));
    }

    /** Starts the release and waits until it answers its health check; returns its pid (none for a light release). */
    public Long start(String environment, String release, int port, Map<String, String> env) {
        if (!releaseExists(release)) {
            throw new PlatformException(422, "unknown release '" + release + "'");
        }
        if (LightReleases.RELEASE.equals(release)) {
            light.start(environment, port, env);
            return null;
        }
        try {
            Files.createDirectories(appsDir);
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx" + appHeap, "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Xss512k", "-jar", jar(release).toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(appsDir.resolve(environment + ".log").toFile()));
            builder.environment().putAll(env);
            builder.environment().put("PORT", String.valueOf(port));
            Process process = builder.start();
            processes.put(environment, process.toHandle());
            awaitHealthy(environment, process, port);
            LOG.infof("environment %s runs release %s on port %d (pid %d)", environment, release, port, process.pid());
            return process.pid();
        } catch (IOException e) {
            throw new PlatformException(500, "cannot start release " + release + " of " + environment + ": " + e.getMessage(), e);
        }
    }

    /** The release's own answer ({@code GET /schema}): its migrations the database lacks, as "version name". */
    public List<String> pendingSchemaMigrations(String environment, int port) {
        if (light.serves(environment)) {
            // Asked over HTTP, each of 2,000 light environments kept a pooled connection (and its buffers) in this heap.
            return List.of();
        }
        HttpRequest schema = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/schema"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> answer = http.send(schema, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new PlatformException(502, "release of " + environment + " answered " + answer.statusCode() + " about its schema");
            }
            List<String> pending = new ArrayList<>();
            JSON.readTree(answer.body()).path("pending")
                    .forEach(m -> pending.add(m.path("version").asText() + " " + m.path("name").asText()));
            return pending;
        } catch (IOException e) {
            throw new PlatformException(502, "release of " + environment + " did not say which schema migrations are pending", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException(503, "interrupted", e);
        }
    }

    public boolean alive(String environment, Long pid) {
        return light.serves(environment) || handle(environment, pid).map(ProcessHandle::isAlive).orElse(false);
    }

    public void stop(String environment, Long pid) {
        light.stop(environment);
        handle(environment, pid).ifPresent(p -> {
            p.destroy();
            p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> {
                p.destroyForcibly();
                return p;
            }).join();
        });
        processes.remove(environment);
    }

    void stopAll(@Observes ShutdownEvent ignored) {
        processes.forEach((env, p) -> stop(env, p.pid()));
    }

    private Optional<ProcessHandle> handle(String environment, Long pid) {
        ProcessHandle known = processes.get(environment);
        if (known != null) {
            return Optional.of(known);
        }
        // Only adopt a pid that is still one of ours: a reused pid could be anything.
        return pid == null ? Optional.empty() : ProcessHandle.of(pid)
                .filter(p -> p.info().commandLine().map(c -> c.contains(releasesDir.toString())).orElse(false));
    }

    private void awaitHealthy(String environment, Process process, int port) {
        Instant deadline = Instant.now().plus(startTimeout);
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new PlatformException(500, "release of " + environment + " exited with code " + process.exitValue()
                        + " at start (see its log in " + appsDir + ")");
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new PlatformException(500, "release of " + environment + " did not become healthy within " + startTimeout);
    }

    private Path jar(String release) {
        return releasesDir.resolve(release + ".jar").toAbsolutePath();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
