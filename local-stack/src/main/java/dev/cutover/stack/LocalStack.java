package dev.cutover.stack;

import dev.cutover.contracts.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The whole stack on one machine: a KRaft Kafka broker (in this JVM), a PostgreSQL server for the services' own state,
 * two PostgreSQL servers that are the local platform's servers {@code eu-1} and {@code eu-2} (whose Redis addons the
 * platform starts, from {@link RedisBinary}), and every service as its own process, the edge router included. Used by the run command and by the end-to-end tests.
 */
public final class LocalStack implements AutoCloseable {

    /** The services, in start order, with their module, default HTTP port and own database (none for the edge router). */
    public enum Service {
        LOCAL_PLATFORM("local-platform", 8090, "local_platform"),
        EDGE_ROUTER("edge-router", 8085, null),
        ORCHESTRATOR("orchestrator", 8080, "orchestrator"),
        PREFLIGHT("preflight-service", 8081, "preflight"),
        PROVISIONING("provisioning-service", 8082, "provisioning"),
        DATA_SYNC("data-sync-service", 8083, "data_sync"),
        TRAFFIC("traffic-service", 8084, "traffic");

        final String module;
        final int defaultPort;
        final String database;

        Service(String module, int defaultPort, String database) {
            this.module = module;
            this.defaultPort = defaultPort;
            this.database = database;
        }

        public String module() {
            return module;
        }

        /**
         * Whether it may run as several instances on one database and one consumer group: Cutover's services. Not the local
         * platform (the hosting platform, outside Cutover) nor the edge router (a freeze is held in one router's memory).
         */
        public boolean scales() {
            return this != LOCAL_PLATFORM && this != EDGE_ROUTER;
        }

        /** Its own database on the control server. */
        public String database() {
            return database;
        }
    }

    /**
     * {@code home}: the repository root (where the modules' builds are); {@code workDir}: this run's state;
     * {@code environment}: extra environment variables for every service (configuration, see the README);
     * {@code tracing}: a Zipkin server runs too, and every service's spans go to it.
     */
    public record Options(Path home, Path workDir, boolean fixedPorts, Map<String, String> environment, Map<Service, Integer> replicas,
                          boolean tracing) {
        public Options(Path home, Path workDir, boolean fixedPorts) {
            this(home, workDir, fixedPorts, Map.of(), Map.of(), false);
        }

        /** How many instances of {@code s} run (1 unless said; always 1 for a service that does not scale). */
        public int instances(Service s) {
            return s.scales() ? replicas.getOrDefault(s, 1) : 1;
        }
    }

    /** One running instance of a service: instance 1 is the one {@link #url(Service)} and the demo use. */
    public record Instance(Service service, int number) {
        String name() {
            return number == 1 ? service.module : service.module + "-" + number;
        }
    }

    public static final int DEFAULT_ROUTER_PORT = 8000;
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_ZIPKIN_PORT = 9411;
    public static final String SAMPLE_RELEASE = "sample-app-1.0";

    private final Options options;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<Instance, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<Instance, Map<String, String>> environments = new LinkedHashMap<>();
    private final Map<String, PostgresServer> servers = new LinkedHashMap<>();
    private KafkaBroker kafka;
    private PostgresServer control;
    private int routerPort;
    private String tracingUrl;
    private String userToken;
    private Tokens tokens;
    private ScheduledExecutorService supervisor;
    /** A dead service waiting for its restart, and how often it died in a row. */
    private final Map<Instance, Long> restartAt = new HashMap<>();
    private final Map<Instance, Integer> deaths = new HashMap<>();
    private boolean closing;

    private LocalStack(Options options) {
        this.options = options;
    }

    public static LocalStack start(Options options, Consumer<String> say) throws IOException {
        LocalStack stack = new LocalStack(options);
        try {
            stack.boot(say);
            return stack;
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void boot(Consumer<String> say) throws IOException {
        Path work = options.workDir().toAbsolutePath();
        String marker = work.toString();
        int stale = Processes.stopMarked(marker);
        if (stale > 0) {
            say.accept("stopped " + stale + " process(es) left over from an earlier run");
        }
        deleteTree(work);
        Files.createDirectories(work.resolve("run"));
        // The broker's and the Kafka and PostgreSQL clients' own logs go beside the services' (slf4j-simple reads this when
        // its first logger is made, which is here in the run command; a test's JVM may have made one already).
        if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
            System.setProperty("org.slf4j.simpleLogger.logFile", work.resolve("run/stack.log").toString());
        }

        kafka = KafkaBroker.start(work.resolve("kafka"), port(DEFAULT_KAFKA_PORT));
        started.add(kafka);
        kafka.createTopics(Topics.ALL, 2);
        say.accept("kafka       " + kafka.bootstrapServers());

        control = PostgresServer.start("control", work.resolve("pg/control"), port(5432));
        started.add(control);
        say.accept("postgresql  127.0.0.1:" + control.port() + " (the services' own databases)");
        for (String name : List.of("eu-1", "eu-2")) {
            PostgresServer server = PostgresServer.start(name, work.resolve("pg/" + name), port(name.equals("eu-1") ? 5433 : 5434));
            started.add(server);
            servers.put(name, server);
            say.accept("postgresql  127.0.0.1:" + server.port() + " (server " + name + ")");
        }

        ServiceProcess zipkin = null;
        if (options.tracing()) {
            // Started now, it boots while the rest is set up; the services need it only once they send spans.
            zipkin = ServiceProcess.startZipkin(options.home().resolve("local-stack/target/tracing/zipkin-server.jar"),
                    port(DEFAULT_ZIPKIN_PORT), work.resolve("run"), marker);
            started.add(zipkin);
            tracingUrl = zipkin.url();
        }

        String redisServer = RedisBinary.extract(work.resolve("redis"));
        Path releases = Files.createDirectories(work.resolve("releases"));
        Path sampleApp = options.home().resolve("sample-app/target/sample-app.jar");
        if (!Files.isRegularFile(sampleApp)) {
            throw new IOException(sampleApp + " is missing: build first (./mvnw -DskipTests package)");
        }
        Files.copy(sampleApp, releases.resolve(SAMPLE_RELEASE + ".jar"));

        routerPort = port(DEFAULT_ROUTER_PORT);
        Map<Instance, Integer> ports = new LinkedHashMap<>();
        for (Service s : Service.values()) {
            for (int n = 1; n <= options.instances(s); n++) {
                // Instance n's fixed port is the default plus 100 per instance after the first (8080, 8180, …).
                ports.put(new Instance(s, n), port(s.defaultPort + 100 * (n - 1)));
            }
        }
        String platformUrl = "http://127.0.0.1:" + ports.get(new Instance(Service.LOCAL_PLATFORM, 1));
        // Every API asks for a bearer token: the stack issues them, as an identity provider would.
        tokens = Tokens.in(work.resolve("keys"));
        userToken = tokens.mint("demo", DemoEnvironment.OWNER, Duration.ofDays(30), "operator");
        Files.writeString(tokenFile(), userToken + "\n");
        Http.authorize(tokens.harness());
        for (Instance i : ports.keySet()) {
            Service s = i.service();
            if (s.database != null && i.number() == 1) {
                control.createDatabase(s.database);
            }
            Map<String, String> env = new LinkedHashMap<>();
            env.put("CUTOVER_HTTP_PORT", String.valueOf(ports.get(i)));
            env.put("CUTOVER_INSTANCE", String.valueOf(i.number()));
            env.put("CUTOVER_DB_URL", control.jdbcUrl(s.database));
            env.put("CUTOVER_KAFKA", kafka.bootstrapServers());
            env.put("CUTOVER_PLATFORM_URL", platformUrl);
            env.put("CUTOVER_PLATFORM_PORT", String.valueOf(ports.get(i)));
            env.put("CUTOVER_PLATFORM_DB_URL", control.jdbcUrl(s.database));
            env.put("CUTOVER_RELEASES_DIR", releases.toString());
            env.put("CUTOVER_APPS_DIR", work.resolve("apps").toString());
            env.put("CUTOVER_REDIS_SERVER", redisServer);
            env.put("CUTOVER_ROUTER_PORT", String.valueOf(routerPort));
            env.put("CUTOVER_ROUTER_URL", "http://127.0.0.1:" + ports.get(new Instance(Service.EDGE_ROUTER, 1)));
            env.put("CUTOVER_ROUTER_ROUTES_FILE", work.resolve("edge-router/routes.json").toString());
            env.put("CUTOVER_JWT_PUBLIC_KEY", tokens.publicKeyFile().toString());
            if (s == Service.ORCHESTRATOR) {
                env.put("CUTOVER_SECRETS_KEY", tokens.secretsKey());
            }
            env.put("CUTOVER_PLATFORM_TOKEN", tokens.service(s.module, s == Service.DATA_SYNC || s == Service.PREFLIGHT));
            if (tracingUrl != null) {
                env.put("CUTOVER_TRACING_ENDPOINT", tracingUrl + "/api/v2/spans");
                env.put("CUTOVER_TRACING_TRACE_URL", tracingUrl + "/zipkin/traces/{traceId}");
            }
            env.putAll(options.environment());
            environments.put(i, env);
            services.put(i, launch(i));
        }
        if (zipkin != null) {
            zipkin.awaitReady(Duration.ofSeconds(90));
            say.accept("zipkin      " + zipkin.url() + "/zipkin/ (every service's spans; log " + options.home().relativize(zipkin.log()) + ")");
        }
        for (ServiceProcess p : services.values()) {
            p.awaitReady(Duration.ofSeconds(90));
            say.accept(String.format("%-21s %s  (pid %d, log %s)", p.name(), p.url(), p.pid(), options.home().relativize(p.log())));
        }
        say.accept("edge router " + routerUrl());
    }

    private ServiceProcess launch(Instance i) throws IOException {
        Path jar = options.home().resolve(i.service().module + "/target/quarkus-app/quarkus-run.jar");
        ServiceProcess process = ServiceProcess.start(i.name(), jar, environments.get(i), Integer.parseInt(
                environments.get(i).get("CUTOVER_HTTP_PORT")), workDir().resolve("run"), workDir().toString());
        started.add(process);
        return process;
    }

    /**
     * Restarts every service that dies, as systemd or Kubernetes would in production: at once the first time (a crash in
     * a freeze has seconds to spare), then after 1 s, 2, 4 … up to 30 s while it keeps dying within a minute of its
     * start; each death and restart is said. Looked for four times a second.
     */
    public void supervise(Consumer<String> say) {
        supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stack-supervisor");
            t.setDaemon(true);
            return t;
        });
        supervisor.scheduleWithFixedDelay(() -> restartTheDead(say), 250, 250, TimeUnit.MILLISECONDS);
    }

    private synchronized void restartTheDead(Consumer<String> say) {
        long now = System.nanoTime();
        for (Map.Entry<Instance, ServiceProcess> e : services.entrySet()) {
            Instance s = e.getKey();
            ServiceProcess p = e.getValue();
            if (closing || p.alive()) {
                if (p.alive() && p.uptime().toSeconds() > 60) {
                    deaths.remove(s);
                }
                continue;
            }
            Long at = restartAt.get(s);
            if (at == null) {
                int n = deaths.merge(s, 1, Integer::sum);
                long delay = n == 1 ? 0 : Math.min(30, 1L << Math.min(n - 2, 5));
                restartAt.put(s, now + TimeUnit.SECONDS.toNanos(delay));
                say.accept(String.format("%s exited with code %d (see %s); restarting in %d s", p.name(), p.exitCode(),
                        options.home().relativize(p.log()), delay));
            } else if (now >= at) {
                restartAt.remove(s);
                try {
                    started.remove(p);
                    ServiceProcess fresh = launch(s);
                    e.setValue(fresh);
                    say.accept(String.format("%s restarted (pid %d)", fresh.name(), fresh.pid()));
                } catch (IOException | RuntimeException failed) {
                    say.accept(p.name() + " could not be restarted: " + failed.getMessage());
                }
            }
        }
    }

    /** Stops the Kafka broker and starts it again on its port and data, as a broker's restart would. */
    public synchronized void restartKafka() throws IOException {
        int port = kafka.port();
        kafka.close();
        kafka = KafkaBroker.start(options.workDir().toAbsolutePath().resolve("kafka"), port);
    }

    /** Restarts a PostgreSQL server: {@code control} (the services' own databases), {@code eu-1} or {@code eu-2}. */
    public synchronized void restartPostgres(String name) throws IOException {
        if (name.equals("control")) {
            control = control.restarted();
        } else {
            servers.put(name, servers.get(name).restarted());
        }
    }

    /** Kills a service without letting it shut down, as a crash would, and starts it again on the same port and database. */
    public ServiceProcess crashAndRestart(Service s) throws IOException {
        kill(s, 1);
        return restart(s, 1);
    }

    /** Kills instance {@code n} of a service without letting it shut down, as a crash (or a lost machine) would. */
    public synchronized void kill(Service s, int n) {
        ServiceProcess old = services.get(new Instance(s, n));
        old.kill();
        started.remove(old);
    }

    /** Starts instance {@code n} of a service again, on its port and database, once ready. */
    public ServiceProcess restart(Service s, int n) throws IOException {
        ServiceProcess fresh;
        synchronized (this) {
            fresh = launch(new Instance(s, n));
            services.put(new Instance(s, n), fresh);
        }
        fresh.awaitReady(Duration.ofSeconds(90));
        return fresh;
    }

    private int port(int preferred) {
        if (!options.fixedPorts()) {
            return Ports.free();
        }
        if (Ports.inUse(preferred)) {
            throw new UncheckedIOException(new IOException("port " + preferred + " is taken: stop what uses it"));
        }
        return preferred;
    }

    /** Where the service's process (its first instance) writes its log. */
    public Path log(Service service) {
        return services.get(new Instance(service, 1)).log();
    }

    /** Where the service answers: its first instance that runs (the first one, if none does). */
    public synchronized String url(Service service) {
        for (int n = 1; n <= options.instances(service); n++) {
            ServiceProcess p = services.get(new Instance(service, n));
            if (p.alive()) {
                return p.url();
            }
        }
        return url(service, 1);
    }

    public synchronized String url(Service service, int n) {
        return services.get(new Instance(service, n)).url();
    }

    /** The demo tenant's operator token (30 days), also written to {@link #tokenFile()} for the CLI. */
    public String userToken() {
        return userToken;
    }

    /** The stack's token issuer, for tokens of other people, roles and tenants. */
    public Tokens tokens() {
        return tokens;
    }

    public Path tokenFile() {
        return options.workDir().toAbsolutePath().resolve("token");
    }

    public String routerUrl() {
        return "http://127.0.0.1:" + routerPort;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The PostgreSQL server of the services' own databases. */
    public PostgresServer control() {
        return control;
    }

    public PostgresServer server(String name) {
        return servers.get(name);
    }

    /** The tracing backend's address (Zipkin's API under /api/v2), or {@code null} when the stack runs without one. */
    public String tracingUrl() {
        return tracingUrl;
    }

    public Path workDir() {
        return options.workDir().toAbsolutePath();
    }

    /** Stops everything, newest first: services (the platform stops its apps), then PostgreSQL, then Kafka. */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
        }
        if (supervisor != null) {
            supervisor.shutdownNow();
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
        started.clear();
    }

    /** Deletes the tree; retried for up to 10 s because a stack still stopping (Ctrl-C just before) may write into it. */
    private static void deleteTree(Path dir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> paths = Files.exists(dir) ? Files.walk(dir) : Stream.empty()) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (DirectoryNotEmptyException | UncheckedIOException e) {
                if (attempt == 50) {
                    throw e;
                }
                Processes.sleep(200);
            }
        }
    }
}
