package dev.cutover.datasync.redis;

import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.redis.RedisConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every key of every numbered database of a source, a {@code SCAN} page at a time, handed to workers that each hold
 * their own connection to both sides: while one worker waits for a round trip, the others keep both servers busy.
 */
final class Batches {

    static final int PAGE = 500;
    private static final Page DONE = new Page(-1, List.of());

    /** What is done with one page of keys, on connections that have selected its numbered database. */
    @FunctionalInterface
    interface Work {
        void run(int db, RedisConnection source, RedisConnection target, List<Object> keys) throws IOException;
    }

    private record Page(int db, List<Object> keys) {
    }

    private Batches() {
    }

    static void run(DatabaseCredentials source, DatabaseCredentials target, int jobs, Work work) throws IOException {
        BlockingQueue<Page> pages = new ArrayBlockingQueue<>(2 * jobs);
        AtomicReference<IOException> failed = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            Thread worker = new Thread(() -> work(source, target, pages, work, failed), "redis-batch-" + i);
            worker.start();
            workers.add(worker);
        }
        try (RedisConnection scanner = RedisConnection.open(source)) {
            for (int db : RedisSync.databases(scanner)) {
                scanner.call("SELECT", db);
                String cursor = "0";
                do {
                    List<Object> page = RedisSync.list(scanner.call("SCAN", cursor, "COUNT", PAGE));
                    cursor = RedisSync.text(page.get(0));
                    List<Object> keys = RedisSync.list(page.get(1));
                    while (!keys.isEmpty() && failed.get() == null && !pages.offer(new Page(db, keys), 100, TimeUnit.MILLISECONDS)) {
                        // a full queue: the workers are behind
                    }
                } while (!cursor.equals("0") && failed.get() == null);
            }
        } catch (IOException e) {
            failed.compareAndSet(null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.compareAndSet(null, new IOException("interrupted", e));
        } finally {
            // One end mark per worker, after every page: each worker, failed or not, takes pages until its mark.
            try {
                for (int i = 0; i < workers.size(); i++) {
                    pages.put(DONE);
                }
                for (Thread w : workers) {
                    w.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                workers.forEach(Thread::interrupt);
            }
        }
        if (failed.get() != null) {
            throw failed.get();
        }
    }

    private static void work(DatabaseCredentials source, DatabaseCredentials target, BlockingQueue<Page> pages, Work work,
                             AtomicReference<IOException> failed) {
        try (RedisConnection s = RedisConnection.open(source); RedisConnection t = RedisConnection.open(target)) {
            int selected = 0;
            for (Page page = pages.take(); page != DONE; page = pages.take()) {
                if (failed.get() != null) {
                    continue;
                }
                if (page.db() != selected) {
                    s.call("SELECT", page.db());
                    t.call("SELECT", page.db());
                    selected = page.db();
                }
                work.run(page.db(), s, t, page.keys());
            }
        } catch (IOException e) {
            failed.compareAndSet(null, e);
            drain(pages);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.compareAndSet(null, new IOException("interrupted", e));
        } catch (RuntimeException e) {
            failed.compareAndSet(null, new IOException(e));
            drain(pages);
        }
    }

    /** A failed worker still takes pages until it is told to stop, so the scanner never waits on a full queue. */
    private static void drain(BlockingQueue<Page> pages) {
        try {
            while (pages.take() != DONE) {
                // dropped: the run failed
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
