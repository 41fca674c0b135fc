package dev.cutover.datasync.copy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed set of workers, each with its own source and target connection, taking tasks from a shared queue. Every
 * source connection reads the same exported snapshot, so parallel work sees one consistent database.
 */
public final class Workers implements AutoCloseable {

    /** One unit of work on a worker's connections. */
    @FunctionalInterface
    public interface Task {
        void run(Connection source, Connection target) throws SQLException;
    }

    /** Opens a connection to one side. */
    @FunctionalInterface
    public interface Connector {
        Connection open() throws SQLException;
    }

    private final List<Connection> sources = new ArrayList<>();
    private final List<Connection> targets = new ArrayList<>();
    private final ExecutorService pool;

    /**
     * {@code sourceSnapshot} and {@code targetSnapshot}: an exported snapshot every connection of that side imports, or
     * {@code null} to read the latest data.
     */
    /** How many workers {@code cutover.data-sync.jobs} asks for: 0 is the machine's cores, at least 2. */
    public static int count(int jobs) {
        return jobs > 0 ? jobs : Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    public Workers(int jobs, Connector source, Connector target, String sourceSnapshot, String targetSnapshot) throws SQLException {
        pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "data-sync-worker");
            t.setDaemon(true);
            return t;
        });
        // Connections are opened in parallel: inside a freeze, every millisecond counts.
        List<Future<Connection[]>> opening = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            opening.add(pool.submit(() -> new Connection[] {open(source, sourceSnapshot), open(target, targetSnapshot)}));
        }
        SQLException failed = null;
        for (Future<Connection[]> f : opening) {
            try {
                Connection[] pair = f.get();
                sources.add(pair[0]);
                targets.add(pair[1]);
            } catch (ExecutionException e) {
                failed = e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause().toString(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed = new SQLException("interrupted", e);
            }
        }
        if (failed != null) {
            close();
            throw failed;
        }
    }

    private static Connection open(Connector side, String snapshot) throws SQLException {
        Connection s = side.open();
        if (snapshot != null) {
            s.setAutoCommit(false);
            s.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            s.setReadOnly(true);
            try (Statement st = s.createStatement()) {
                st.execute("set transaction snapshot '" + snapshot.replace("'", "''") + "'");
            }
        }
        return s;
    }

    /**
     * The tasks of one run. A running task may add more: {@link #next} puts one ahead of every task not yet started (a
     * table's indexes as soon as its rows are in, while other tables still copy).
     */
    public static final class Queue {
        private final LinkedBlockingDeque<Task> tasks = new LinkedBlockingDeque<>();
        private final AtomicInteger unfinished = new AtomicInteger();
        private volatile boolean failed;

        public void add(Task task) {
            unfinished.incrementAndGet();
            tasks.addLast(task);
        }

        public void next(Task task) {
            unfinished.incrementAndGet();
            tasks.addFirst(task);
        }
    }

    /** How many workers run at once. */
    public int size() {
        return sources.size();
    }

    /** Runs every task, at most one per worker at a time, and returns when all are done; the first failure is thrown. */
    public void runAll(List<Task> tasks) throws SQLException {
        Queue queue = new Queue();
        tasks.forEach(queue::add);
        run(queue);
    }

    /** Runs the queue until it is empty and no task runs (one may still add more); the first failure is thrown. */
    public void run(Queue queue) throws SQLException {
        List<Future<Void>> running = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Connection s = sources.get(i);
            Connection t = targets.get(i);
            running.add(pool.submit(() -> {
                while (!queue.failed && queue.unfinished.get() > 0) {
                    Task task = queue.tasks.poll(10, TimeUnit.MILLISECONDS);
                    if (task == null) {
                        continue;
                    }
                    try {
                        task.run(s, t);
                    } catch (SQLException | RuntimeException e) {
                        queue.failed = true;
                        queue.tasks.clear();
                        throw e;
                    } finally {
                        queue.unfinished.decrementAndGet();
                    }
                }
                return null;
            }));
        }
        SQLException first = null;
        for (Future<Void> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause().toString(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted", e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        for (Connection c : sources) {
            quietly(c);
        }
        for (Connection c : targets) {
            quietly(c);
        }
    }

    private static void quietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing after a failure: the failure is what's reported
        }
    }
}
