package dev.cutover.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Steady traffic to the sample app through the edge router, as a user's visitors would send it: half writes (new
 * customers) and half reads (a customer written before). Open loop: request i is due at start + i / rate and sent
 * asynchronously whatever the earlier ones are doing, and its latency counts from when it was due, so a stall shows in
 * full in every request it delays (no coordinated omission). Every request is kept as a {@link Sample}.
 * The router routes by Host header, which the JDK's HTTP client sends only when the JVM was started with
 * {@code -Djdk.httpclient.allowRestrictedHeaders=host} (the run command and the end-to-end tests do).
 */
public final class LoadDriver implements AutoCloseable {

    /** One request: when it was due (epoch millis), how long until its answer, whether it succeeded, write or read. */
    public record Sample(long scheduledAt, long millis, boolean ok, boolean write) {

        public long completedAt() {
            return scheduledAt + millis;
        }
    }

    /** Figures of a set of requests. */
    public record Figures(long count, long failed, long p50Millis, long p99Millis, long maxMillis) {
    }

    /** What the traffic saw. */
    public record Report(List<Sample> samples, List<Long> ackedWrites, List<String> failures) {

        public long requests() {
            return samples.size();
        }

        public long failed() {
            return all().failed();
        }

        public long maxMillis() {
            return all().maxMillis();
        }

        public long p50Millis() {
            return all().p50Millis();
        }

        public long p99Millis() {
            return all().p99Millis();
        }

        /** The requests in flight at some point of [from, to] (epoch millis): due by {@code to}, answered from {@code from}. */
        public Figures overlapping(long from, long to) {
            return figures(s -> s.scheduledAt() <= to && s.completedAt() >= from);
        }

        public Figures figures(Predicate<Sample> which) {
            long[] sorted = samples.stream().filter(which).mapToLong(Sample::millis).sorted().toArray();
            long failed = samples.stream().filter(which).filter(s -> !s.ok()).count();
            return new Figures(sorted.length, failed, percentile(sorted, 0.50), percentile(sorted, 0.99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
        }

        private Figures all() {
            return figures(s -> true);
        }

        /** Nearest rank. */
        private static long percentile(long[] sorted, double p) {
            return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
        }
    }

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private final String routerUrl;
    private final String host;
    private final int perSecond;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private final long startNanos = System.nanoTime();
    private final long startEpochMillis = System.currentTimeMillis();
    private volatile boolean running = true;
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final List<Long> acked = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private final Thread scheduler;

    private LoadDriver(String routerUrl, String host, int perSecond) {
        this.routerUrl = routerUrl;
        this.host = host;
        this.perSecond = perSecond;
        this.scheduler = new Thread(this::schedule, "load-scheduler");
        scheduler.setDaemon(true);
    }

    /** Starts sending {@code perSecond} requests a second to {@code host} via the router, alternating write and read. */
    public static LoadDriver start(String routerUrl, String host, int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1: " + perSecond);
        }
        LoadDriver driver = new LoadDriver(routerUrl, host, perSecond);
        driver.scheduler.start();
        return driver;
    }

    private void schedule() {
        for (long i = 0; running; i++) {
            long due = startNanos + i * 1_000_000_000L / perSecond;
            for (long wait = due - System.nanoTime(); wait > 0 && running; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            if (running) {
                send(due, i % 2 == 0);
            }
        }
    }

    private void send(long due, boolean writeTurn) {
        Long readId = writeTurn ? null : anyAcked();
        boolean write = readId == null;
        long scheduledAt = startEpochMillis + (due - startNanos) / 1_000_000;
        CompletableFuture<?> f = client.sendAsync(write ? write() : read(readId), HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    long millis = (System.nanoTime() - due) / 1_000_000;
                    samples.add(new Sample(scheduledAt, millis, answered(response, error, write, readId), write));
                    return null;
                });
        inFlight.add(f);
        f.thenRun(() -> inFlight.remove(f));
    }

    private boolean answered(HttpResponse<String> response, Throwable error, boolean write, Long readId) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
            return false;
        }
        if (response.statusCode() >= 300) {
            fail("HTTP " + response.statusCode() + " on " + (write ? "write" : "read of " + readId) + ": " + response.body());
            return false;
        }
        if (write) {
            Matcher id = ID.matcher(response.body());
            if (!id.find()) {
                fail("write answered without an id: " + response.body());
                return false;
            }
            synchronized (acked) {
                acked.add(Long.parseLong(id.group(1)));
            }
        }
        return true;
    }

    private Long anyAcked() {
        synchronized (acked) {
            return acked.isEmpty() ? null : acked.get(ThreadLocalRandom.current().nextInt(acked.size()));
        }
    }

    private HttpRequest write() {
        return request("/customers").POST(HttpRequest.BodyPublishers.ofString(
                "{\"name\":\"visitor " + System.nanoTime() + "\",\"email\":\"v@example.test\"}"))
                .header("Content-Type", "application/json").build();
    }

    private HttpRequest read(long id) {
        return request("/customers/" + id).GET().build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(routerUrl + path)).header("Host", host).timeout(Duration.ofSeconds(30));
    }

    private void fail(String why) {
        synchronized (failures) {
            if (failures.size() < 20) {
                failures.add(why);
            }
        }
    }

    /** Stops sending and waits for the requests in flight (each times out after 30 s). */
    public Report stop() {
        running = false;
        LockSupport.unpark(scheduler);
        try {
            scheduler.join();
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(35, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A report missing requests would understate the failures and stalls.
            throw new IllegalStateException(inFlight.size() + " requests unanswered 35 s after the load stopped", e);
        }
        synchronized (acked) {
            synchronized (failures) {
                return new Report(List.copyOf(samples), List.copyOf(acked), List.copyOf(failures));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(scheduler);
    }
}
