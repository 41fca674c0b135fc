package dev.cutover.stack;

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

/** One Cutover service (or the tracing backend) as its own JVM, its output in a log file, its pid in a pid file. */
public final class ServiceProcess implements AutoCloseable {

    /** Heap and JIT settings that keep an idle service small (see docs/benchmarks.md). */
    static final List<String> JVM_OPTIONS = List.of("-Xmx64m", "-Xmn16m", "-Xss512k", "-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
            "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=32m",
            "-XX:MaxDirectMemorySize=32m", "-Dio.netty.allocator.numDirectArenas=1", "-Dio.netty.allocator.numHeapArenas=1",
            "-Dquarkus.log.console.format=%d{HH:mm:ss.SSS} %-5p [%c{1}] %s%e%n");

    private final String name;
    private final Process process;
    private final Path pidFile;
    private final int port;
    private final Path log;
    private final String readyPath;
    private final Instant started = Instant.now();

    private ServiceProcess(String name, Process process, Path pidFile, int port, Path log, String readyPath) {
        this.name = name;
        this.process = process;
        this.pidFile = pidFile;
        this.port = port;
        this.log = log;
        this.readyPath = readyPath;
    }

    /** Starts {@code jar} with {@code env}; {@code marker} tags the command line so a later start can find leftovers. */
    public static ServiceProcess start(String name, Path jar, Map<String, String> env, int port, Path runDir, String marker)
            throws IOException {
        List<String> options = new ArrayList<>(JVM_OPTIONS);
        if (!name.equals("edge-router")) {
            // C1 only: less memory for services that handle a few messages a minute. The edge router proxies every
            // request of every environment, which C2's compiled code does faster.
            options.add("-XX:TieredStopAtLevel=1");
        }
        return start(name, options, jar, env, port, runDir, marker, "/q/health/ready");
    }

    /** Zipkin's server on {@code port}, keeping spans in memory (the newest 500,000). */
    public static ServiceProcess startZipkin(Path jar, int port, Path runDir, String marker) throws IOException {
        return start("zipkin", List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), jar,
                Map.of("QUERY_PORT", String.valueOf(port), "STORAGE_TYPE", "mem", "MEM_MAX_SPANS", "500000"), port, runDir, marker, "/health");
    }

    private static ServiceProcess start(String name, List<String> jvmOptions, Path jar, Map<String, String> env, int port, Path runDir,
                                        String marker, String readyPath) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: build first (./mvnw -DskipTests package)");
        }
        Files.createDirectories(runDir);
        Path log = runDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dcutover.stack=" + marker);
        command.add("-jar");
        command.add(jar.toString());
        // Appended: a restarted service's log keeps what the one that died wrote.
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        // glibc's per-thread malloc arenas cost tens of MB of resident memory in a JVM for no gain here.
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Process process = builder.start();
        Path pidFile = runDir.resolve(name + ".pid");
        Files.writeString(pidFile, Long.toString(process.pid()));
        return new ServiceProcess(name, process, pidFile, port, log, readyPath);
    }

    /** Waits until the service says it is ready (Kafka and its database included). */
    public void awaitReady(Duration timeout) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + readyPath)).timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with code " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + name, e);
            }
            Processes.sleep(100);
        }
        throw new IOException(name + " was not ready within " + timeout + "; see " + log);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public Duration uptime() {
        return Duration.between(started, Instant.now());
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The exit code of a service that has exited. */
    public int exitCode() {
        return process.exitValue();
    }

    /** Kills the service without letting it shut down (to test recovery). */
    public void kill() {
        process.destroyForcibly();
        process.onExit().join();
    }

    @Override
    public void close() throws IOException {
        Processes.stop(process.toHandle());
        Files.deleteIfExists(pidFile);
    }
}
