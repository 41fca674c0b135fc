package dev.cutover.sampleapp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sample application the local platform deploys and migrations move: a shop API over PostgreSQL. No framework,
 * so it starts in a fraction of a second and fits in a small heap; configured only by environment variables.
 */
public final class SampleApp implements AutoCloseable {

    private static final int THREADS = 8;
    private static final long DRAIN_MILLIS = 5_000;

    private final HttpServer server;
    private final ExecutorService executor;
    private final ConnectionPool pool;
    private final Api api;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SampleApp(HttpServer server, ExecutorService executor, ConnectionPool pool, Api api) {
        this.server = server;
        this.executor = executor;
        this.pool = pool;
        this.api = api;
    }

    public static void main(String[] args) {
        SampleApp app;
        try {
            app = start(System.getenv());
        } catch (IllegalArgumentException e) {
            log("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        } catch (SQLException e) {
            log("cannot prepare the database: " + e.getMessage());
            System.exit(1);
            return;
        } catch (IOException e) {
            log("cannot listen: " + e);
            System.exit(1);
            return;
        }
        // SIGTERM (a platform stopping the release) finishes requests in progress before the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "sample-app-shutdown"));
    }

    /**
     * Applies the schema migrations, then serves HTTP; fails if the configuration is incomplete or the database can't
     * be reached. {@code PORT=0} picks a free port, see {@link #port()}.
     */
    public static SampleApp start(Map<String, String> env) throws IOException, SQLException {
        long started = System.nanoTime();
        Config config = Config.fromEnv(env);
        ConnectionPool pool = new ConnectionPool(config);
        try {
            int applied = config.migrateOnStart() ? migrateOnceReachable(pool) : 0;
            Api api = new Api(new Shop(pool), new Seeder(pool), config.servedBy(), pool, new Activity(config.redisUrl()));
            // The JDK server writes headers and body separately: with Nagle's algorithm on, each answer waits for the
            // client's delayed ACK (~40 ms). Read when the server class loads, so set before the first server.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            HttpServer server = HttpServer.create(new InetSocketAddress(config.port()), 128);
            ExecutorService executor = Executors.newFixedThreadPool(THREADS, numberedThreads());
            server.createContext("/", api);
            server.setExecutor(executor);
            server.start();
            SampleApp app = new SampleApp(server, executor, pool, api);
            log("listening on port " + app.port() + ", database " + config.redactedDatabaseUrl() + ", " + applied
                    + " migration(s) applied, started in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            return app;
        } catch (IOException | SQLException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * A database that does not take the first session in time (a busy server: the connect timeout is 2 s) is asked again
     * for up to 15 s, within the platform's wait for the app; one where nothing listens fails the start at once.
     */
    private static int migrateOnceReachable(ConnectionPool pool) throws SQLException {
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (long pause = 200; ; pause = Math.min(pause * 2, 2000)) {
            try {
                return Migrations.apply(pool);
            } catch (SQLTransientConnectionException e) {
                if (refused(e) || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > giveUpAt) {
                    throw e;
                }
                log(e.getMessage() + "; trying again");
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops taking work, lets requests in progress finish (for a few seconds at most), then closes the connections. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            api.drain(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        pool.close();
        log("stopped");
    }

    static void log(String message) {
        System.out.println(Instant.now() + " sample-app: " + message);
    }

    private static ThreadFactory numberedThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> new Thread(runnable, "http-" + count.incrementAndGet());
    }
}
