package dev.cutover.platform.router;

import dev.cutover.platform.Environment;
import dev.cutover.platform.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Drives any router through one executable the user writes (a shell script that edits an nginx map and reloads it, calls
 * HAProxy's runtime API or a DNS provider's). Each operation runs {@code <command> <operation> <arguments...>}:
 * <pre>
 *   apply   HOSTNAME ENVIRONMENT BACKEND_URL|- [FORWARD_UNTIL MOVED_TO]
 *   remove  HOSTNAME
 *   hold    ENVIRONMENT
 *   release ENVIRONMENT          (may print the number of requests it held)
 * </pre>
 * Exit status 0 means done; anything else fails the operation with the last line the command wrote to stderr. A freeze
 * is released by this adapter itself once it runs past {@code hold.max-duration}, as the edge router does.
 */
public final class CommandRouter implements Router {

    /** A held environment: when its freeze began. */
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "command-router-hold-bound");
        t.setDaemon(true);
        return t;
    });
    private final String command;
    private final Duration timeout;
    private final Duration maxHold;
    private final Platform platform;

    CommandRouter(String command, Duration timeout, Duration maxHold, Platform platform) {
        this.command = command;
        this.timeout = timeout;
        this.maxHold = maxHold;
        this.platform = platform;
    }

    @Override
    public void apply(HostnameRoute route) {
        String backend = platform.environment(route.environment()).map(Environment::backendUrl).orElse(null);
        List<String> args = new ArrayList<>(List.of("apply", route.hostname(), route.environment(), backend == null ? "-" : backend));
        if (route.forwardUntil() != null) {
            args.add(route.forwardUntil().toString());
            args.add(route.movedTo());
        }
        run(args);
    }

    @Override
    public void remove(String hostname) {
        run(List.of("remove", hostname));
    }

    @Override
    public boolean hold(String environment) {
        run(List.of("hold", environment));
        long started = System.nanoTime();
        held.put(environment, started);
        timer.schedule(() -> {
            if (held.remove(environment, started)) {
                run(List.of("release", environment));
            }
        }, maxHold.toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    @Override
    public boolean holding(String environment) {
        return held.containsKey(environment);
    }

    @Override
    public Freeze release(String environment) {
        Long started = held.remove(environment);
        if (started == null) {
            return new Freeze(0, 0);
        }
        String out = run(List.of("release", environment)).strip();
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new Freeze(millis, out.matches("\\d{1,9}") ? Integer.parseInt(out) : 0);
    }

    /** Runs the command; returns what it printed. */
    private String run(List<String> args) {
        List<String> line = new ArrayList<>();
        line.add(command);
        line.addAll(args);
        String what = "router command '" + args.get(0) + " " + args.get(1) + "'";
        Process process;
        try {
            process = new ProcessBuilder(line).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new RouterException(what + " could not start: " + e.getMessage());
        }
        try {
            // Both streams are read while it runs, so a chatty command can't block on a full pipe.
            var stdout = readAsync(process.getInputStream());
            var stderr = readAsync(process.getErrorStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new RouterException(what + " did not finish within " + timeout.toMillis() + " ms");
            }
            if (process.exitValue() != 0) {
                List<String> lines = stderr.join().strip().lines().toList();
                throw new RouterException(what + " failed (exit " + process.exitValue() + ")"
                        + (lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1)));
            }
            return stdout.join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RouterException(what + " was interrupted");
        }
    }

    private static CompletableFuture<String> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
