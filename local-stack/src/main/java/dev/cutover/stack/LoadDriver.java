package dev.cutover.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady traffic to the sample app through the edge router, as a user's visitors would send it: half writes (new
 * customers) and half reads (a customer written before). Counts failures, stalls and the writes the app acknowledged.
 * The router routes by Host header, which the JDK's HTTP client sends only when the JVM was started with
 * {@code -Djdk.httpclient.allowRestrictedHeaders=host} (the run command and the end-to-end tests do).
 */
public final class LoadDriver implements AutoCloseable {

    /** What the traffic saw. */
    public record Report(long requests, long failed, long maxMillis, long p50Millis, long p99Millis, List<Long> ackedWrites,
                         List<String> failures) {
    }

    private final String routerUrl;
    private final String host;
    private final int perSecond;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    private final List<Long> acked = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<Thread> workers = new ArrayList<>();

    private LoadDriver(String routerUrl, String host, int perSecond) {
        this.routerUrl = routerUrl;
        this.host = host;
        this.perSecond = perSecond;
    }

    /** Starts {@code workers} threads sending {@code perSecond} requests a second in all to {@code host} via the router. */
    public static LoadDriver start(String routerUrl, String host, int perSecond, int workers) {
        LoadDriver driver = new LoadDriver(routerUrl, host, perSecond);
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(() -> driver.loop(workers), "load-" + i);
            t.setDaemon(true);
            driver.workers.add(t);
            t.start();
        }
        return driver;
    }

    private void loop(int workers) {
        long pauseNanos = 1_000_000_000L * workers / perSecond;
        long next = System.nanoTime();
        boolean write = true;
        while (running.get()) {
            long start = System.nanoTime();
            try {
                HttpResponse<String> response = client.send(write ? write() : read(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() >= 300) {
                    fail("HTTP " + response.statusCode() + ": " + response.body());
                } else if (write) {
                    acked.add(Long.parseLong(response.body().replaceAll(".*\"id\"\\s*:\\s*(\\d+).*", "$1")));
                }
            } catch (Exception e) {
                fail(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            requests.incrementAndGet();
            latencies.add((System.nanoTime() - start) / 1_000_000);
            write = !write || acked.isEmpty();
            next += pauseNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Processes.sleep(sleep / 1_000_000);
            } else {
                next = System.nanoTime();
            }
        }
    }

    private HttpRequest write() {
        return request("/customers").POST(HttpRequest.BodyPublishers.ofString(
                "{\"name\":\"visitor " + System.nanoTime() + "\",\"email\":\"v@example.test\"}"))
                .header("Content-Type", "application/json").build();
    }

    private HttpRequest read() {
        long id = acked.get((int) (Math.random() * acked.size()));
        return request("/customers/" + id).GET().build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(routerUrl + path)).header("Host", host).timeout(Duration.ofSeconds(30));
    }

    private void fail(String why) {
        failed.incrementAndGet();
        if (failures.size() < 20) {
            failures.add(why);
        }
    }

    public long requests() {
        return requests.get();
    }

    public Report stop() {
        running.set(false);
        for (Thread t : workers) {
            try {
                t.join(35_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        long p50 = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
        long p99 = sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99)));
        long max = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1);
        return new Report(requests.get(), failed.get(), max, p50, p99, List.copyOf(acked), List.copyOf(failures));
    }

    @Override
    public void close() {
        running.set(false);
    }
}
