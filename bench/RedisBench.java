import dev.cutover.contracts.datasync.TableComparison;
import dev.cutover.datasync.redis.RedisSync;
import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.redis.RedisConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 18's Redis benchmark: a store of N keys of mixed types (strings, hashes, lists, sets, sorted sets; a third with
 * a TTL) moved by Cutover's own code (data-sync's RedisSync, in RedisMoves' order), and by two anchors, on the same two
 * Redis servers, one after the other:
 * <ol>
 * <li>Cutover snapshot: pipelined DUMP/RESTORE, then every key's digest compared;</li>
 * <li>Cutover live while a writer changes the source (fixed rate, every write acknowledged and remembered): REPLICAOF,
 *     initial sync, every key compared while serving, lag; then the freeze's Redis part (fence the app's user, catch up,
 *     promote); then keys lost and TTLs kept, checked on the target;</li>
 * <li>redis-cli --rdb, then a fresh server loading that file;</li>
 * <li>a plain script: DUMP and RESTORE key by key, one round trip each.</li>
 * </ol>
 * <pre>java -cp CLASSES bench/RedisBench.java REDIS_SERVER_BINARY WORK_DIR KEYS WRITES_PER_SECOND JOBS</pre>
 */
public class RedisBench {

    static final String APP_RIGHTS = "~* &* +@all -@admin -@dangerous";

    public static void main(String[] args) throws Exception {
        String binary = args[0];
        Path work = Path.of(args[1]);
        int keys = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        int jobs = Integer.parseInt(args[4]);
        List<Process> servers = new ArrayList<>();
        try {
            DatabaseCredentials source = server(binary, work.resolve("source"), 56379, servers);
            DatabaseCredentials target = server(binary, work.resolve("target"), 56380, servers);
            try (RedisConnection s = RedisConnection.open(source); RedisConnection t = RedisConnection.open(target)) {
                long started = System.nanoTime();
                load(s, keys);
                long used = Long.parseLong(s.info("memory").get("used_memory_dataset"));
                System.out.printf("loaded %,d keys (%,d bytes of dataset) in %.2f s%n", keys, used, secs(started));
                snapshot(source, target, s, t, keys, used, jobs);
                live(s, t, source, target, keys, rate, jobs);
                rdb(binary, work, source, keys, servers);
                if (!"0".equals(System.getenv("PLAIN"))) {
                    plainScript(s, t, keys);
                }
            }
        } finally {
            servers.forEach(Process::destroyForcibly);
        }
    }

    static void snapshot(DatabaseCredentials source, DatabaseCredentials target, RedisConnection s, RedisConnection t, int keys,
                         long used, int jobs) throws IOException {
        long started = System.nanoTime();
        RedisSync.Copied copied = RedisSync.copy(source, target, jobs);
        double copy = secs(started);
        long comparing = System.nanoTime();
        List<TableComparison> compared = RedisSync.compare("bench", source, target, jobs, true);
        double compare = secs(comparing);
        System.out.printf("cutover snapshot, jobs=" + jobs + ": %,d keys (%,d bytes dumped) copied in %.2f s: %,.0f keys/s, %.1f MB/s of dataset;"
                        + " every key compared in %.2f s (%s)%n", copied.keys(), copied.bytes(), copy, copied.keys() / copy,
                used / copy / 1e6, compare, compared.stream().allMatch(TableComparison::matches) ? "all equal" : compared);
        t.call("FLUSHALL");
    }

    static void live(RedisConnection s, RedisConnection t, DatabaseCredentials source, DatabaseCredentials target, int keys, int rate,
                     int jobs) throws Exception {
        s.call("ACL", "SETUSER", "app", "reset", "on", ">app", "~*", "&*", "+@all", "-@admin", "-@dangerous");
        Writer writer = new Writer(new DatabaseCredentials(source.host(), source.port(), "0", "app", "app"), rate, keys);
        writer.start();
        Thread.sleep(2000);
        long started = System.nanoTime();
        RedisSync.follow(t, source);
        RedisSync.awaitInSync(t, Duration.ofMinutes(30));
        double initial = secs(started);
        long lagMax = 0;
        for (int i = 0; i < 20; i++) {
            lagMax = Math.max(lagMax, RedisSync.lagBytes(s, t));
            Thread.sleep(100);
        }
        long comparing = System.nanoTime();
        List<TableComparison> compared = RedisSync.compare("bench", source, target, jobs, false);
        double compare = secs(comparing);
        Thread.sleep(1000);
        long freeze = System.nanoTime();
        // The fence the local platform sets: the app's user loses its write commands.
        s.call("ACL", "SETUSER", "app", "reset", "on", ">app", "~*", "&*", "+@all", "-@admin", "-@dangerous", "-@write");
        long caughtUp = RedisSync.catchUp(s, t, Duration.ofSeconds(5));
        RedisSync.promote(t);
        long freezeMillis = (System.nanoTime() - freeze) / 1_000_000;
        writer.stop();
        long lost = 0;
        for (String key : writer.acked) {
            if ((Long) t.call("EXISTS", key) == 0) {
                lost++;
            }
        }
        long ttlChecked = 0;
        long ttlOff = 0;
        for (int i = 0; i < keys && ttlChecked < 1000; i += 15) {
            long a = (Long) s.call("PTTL", "s:" + i);
            long b = (Long) t.call("PTTL", "s:" + i);
            if (a > 0) {
                ttlChecked++;
                ttlOff = Math.max(ttlOff, Math.abs(a - b));
            }
        }
        System.out.printf("cutover live: initial sync %.2f s under %d writes/s; lag at most %,d bytes"
                        + " (sampled 20 times); every key compared while serving in %.2f s (%s); Redis part of the freeze %d ms"
                        + " (catch-up %d ms + promote); %,d acknowledged writes, %d lost, %d refused by the fence;"
                        + " TTLs of %d keys within %d ms%n", initial, rate, lagMax, compare,
                compared.stream().allMatch(TableComparison::matches) ? "all equal" : compared, freezeMillis, caughtUp,
                writer.acked.size(), lost, writer.refused.get(), ttlChecked, ttlOff);
        s.call("ACL", "SETUSER", "app", "reset", "on", ">app", "~*", "&*", "+@all", "-@admin", "-@dangerous");
        t.call("FLUSHALL");
    }

    static void rdb(String binary, Path work, DatabaseCredentials source, int keys, List<Process> servers) throws Exception {
        Path dir = Files.createDirectories(work.resolve("rdb"));
        Path file = dir.resolve("dump.rdb");
        long started = System.nanoTime();
        Process cli = new ProcessBuilder("redis-cli", "-p", String.valueOf(source.port()), "--user", source.user(), "--pass",
                source.password(), "--no-auth-warning", "--rdb", file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("cli.log").toFile()).start();
        if (cli.waitFor() != 0) {
            System.out.println("redis-cli --rdb: failed (see " + dir.resolve("cli.log") + "); is redis-tools installed?");
            return;
        }
        double dump = secs(started);
        long loading = System.nanoTime();
        DatabaseCredentials loaded = server(binary, dir, 56381, servers, "--dbfilename", "dump.rdb");
        double load = secs(loading);
        try (RedisConnection r = RedisConnection.open(loaded)) {
            System.out.printf("redis-cli --rdb + a server loading it: %.2f s (dump %.2f s, load %.2f s), %,d keys%n", dump + load, dump,
                    load, (Long) r.call("DBSIZE"));
        }
    }

    static void plainScript(RedisConnection s, RedisConnection t, int keys) throws IOException {
        long started = System.nanoTime();
        long moved = 0;
        String cursor = "0";
        do {
            List<Object> page = (List<Object>) s.call("SCAN", cursor, "COUNT", 1000);
            cursor = new String((byte[]) page.get(0));
            for (Object key : (List<Object>) page.get(1)) {
                long ttl = (Long) s.call("PTTL", key);
                Object value = s.call("DUMP", key);
                t.call("RESTORE", key, ttl < 0 ? 0 : ttl, value, "REPLACE");
                moved++;
            }
        } while (!cursor.equals("0"));
        double took = secs(started);
        System.out.printf("plain DUMP/RESTORE script, key by key: %,d keys in %.2f s: %,.0f keys/s%n", moved, took, moved / took);
    }

    /** N keys: strings (a third with a TTL of an hour), hashes, lists, sets and sorted sets, in turn. */
    static void load(RedisConnection r, int keys) throws IOException {
        List<Object[]> batch = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            switch (i % 5) {
                case 0 -> batch.add(i % 3 == 0 ? new Object[] {"SET", "s:" + i, "value-" + i, "EX", 3600} : new Object[] {"SET", "s:" + i, "value-" + i});
                case 1 -> batch.add(new Object[] {"HSET", "h:" + i, "name", "n" + i, "email", "e" + i + "@x.test", "visits", i});
                case 2 -> batch.add(new Object[] {"RPUSH", "l:" + i, "a", "b", "c", String.valueOf(i)});
                case 3 -> batch.add(new Object[] {"SADD", "set:" + i, "x", "y", String.valueOf(i)});
                default -> batch.add(new Object[] {"ZADD", "z:" + i, 1, "a", 2, "b", i, "c"});
            }
            if (i % 3 == 0 && i % 5 != 0) {
                batch.add(new Object[] {"EXPIRE", key(i), 3600});
            }
            if (batch.size() >= 1000) {
                r.pipeline(batch);
                batch.clear();
            }
        }
        r.pipeline(batch);
    }

    static String key(int i) {
        return switch (i % 5) {
            case 0 -> "s:" + i;
            case 1 -> "h:" + i;
            case 2 -> "l:" + i;
            case 3 -> "set:" + i;
            default -> "z:" + i;
        };
    }

    /** Writes at a fixed rate, as the app's user; remembers every acknowledged new key. */
    static final class Writer {
        final ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
        final AtomicLong refused = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread;

        Writer(DatabaseCredentials login, int rate, int keys) {
            thread = new Thread(() -> {
                try (RedisConnection r = RedisConnection.open(login)) {
                    long started = System.nanoTime();
                    for (long n = 0; running.get(); n++) {
                        long due = started + n * 1_000_000_000L / rate;
                        while (System.nanoTime() < due) {
                            Thread.onSpinWait();
                        }
                        String key = "w:" + n;
                        try {
                            r.call("SET", key, String.valueOf(n));
                            r.call("HINCRBY", "h:" + (1 + 5 * (n % (keys / 5))), "visits", 1);
                            acked.add(key);
                        } catch (RedisConnection.RedisException e) {
                            refused.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "writer");
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    static DatabaseCredentials server(String binary, Path dir, int port, List<Process> servers, String... extra) throws Exception {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir",
                dir.toString(), "--save", "", "--appendonly", "no", "--user", "default", "off", "--user", "cutover", "on", ">secret",
                "~*", "&*", "+@all"));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        servers.add(p);
        DatabaseCredentials login = new DatabaseCredentials("127.0.0.1", port, "0", "cutover", "secret");
        for (int i = 0; i < 3000; i++) {
            try (RedisConnection r = RedisConnection.open(login)) {
                if (!r.info("persistence").getOrDefault("loading", "0").equals("1")) {
                    return login;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IOException("Redis did not start on " + port);
    }

    static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
