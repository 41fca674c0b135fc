package dev.cutover.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Process bookkeeping: pid files, so that whatever a killed launcher left behind is stopped on the next start. */
public final class Processes {
    private Processes() {
    }

    /** Kills the process whose pid is the first line of {@code pidFile}, if it still runs, then removes the file. */
    public static void killStale(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> stale = lines.isEmpty() ? Optional.empty() : parse(lines.get(0)).flatMap(ProcessHandle::of);
        stale.ifPresent(Processes::stop);
        Files.deleteIfExists(pidFile);
    }

    /**
     * Stops every process whose command line names {@code marker} (a run's work directory): services, PostgreSQL
     * servers and app processes that a killed launcher left behind.
     */
    public static int stopMarked(String marker) {
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> stale = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .toList();
        stale.forEach(Processes::stop);
        return stale.size();
    }

    /** Stops a process and its children: politely first, then by force. */
    public static void stop(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (process.isAlive() && Instant.now().isBefore(deadline)) {
            sleep(50);
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        while (process.isAlive()) {
            sleep(20);
        }
    }

    private static Optional<Long> parse(String line) {
        try {
            return Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
