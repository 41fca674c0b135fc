package dev.cutover.datasync.redis;

import dev.cutover.contracts.datasync.TableComparison;
import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.redis.RedisConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moving one Redis database (a whole Redis server: every numbered database in it). {@code snapshot}: every key with its
 * type, value and remaining TTL, by {@code DUMP}/{@code RESTORE}, pipelined. {@code live}: the target becomes a replica
 * of the source ({@code REPLICAOF}): Redis sends a snapshot, then every write as it happens; inside the freeze, with the
 * source fenced, the target is caught up to the source's replication offset and promoted ({@code REPLICAOF NO ONE}).
 * Verification compares every key's digest (its type and value, hashed by a read-only script on each side) and TTL.
 */
public final class RedisSync {

    /** TTLs read a moment apart on each side: within this, they are the same TTL. */
    private static final long TTL_TOLERANCE_MILLIS = 2_000;
    /** A key's type and value as one SHA-1, with its PTTL; every element length-prefixed, so no two values hash alike by accident. */
    private static final String DIGESTS = """
            local function add(parts, v) parts[#parts + 1] = #v .. ':' .. v end
            local out = {}
            for i, k in ipairs(KEYS) do
              local t = redis.call('TYPE', k)['ok']
              local parts = {t}
              if t == 'string' then add(parts, redis.call('GET', k))
              elseif t == 'list' then for _, v in ipairs(redis.call('LRANGE', k, 0, -1)) do add(parts, v) end
              elseif t == 'set' then local m = redis.call('SMEMBERS', k) table.sort(m) for _, v in ipairs(m) do add(parts, v) end
              elseif t == 'zset' then for _, v in ipairs(redis.call('ZRANGE', k, 0, -1, 'WITHSCORES')) do add(parts, v) end
              elseif t == 'hash' then
                local h = redis.call('HGETALL', k) local fields = {}
                for j = 1, #h, 2 do fields[#fields + 1] = #h[j] .. ':' .. h[j] .. #h[j + 1] .. ':' .. h[j + 1] end
                table.sort(fields) for _, v in ipairs(fields) do add(parts, v) end
              elseif t == 'stream' then
                for _, e in ipairs(redis.call('XRANGE', k, '-', '+')) do add(parts, e[1]) for _, v in ipairs(e[2]) do add(parts, v) end end
              end
              out[#out + 1] = t == 'none' and '' or redis.sha1hex(table.concat(parts, ','))
              out[#out + 1] = redis.call('PTTL', k)
            end
            return out""";

    private RedisSync() {
    }

    /** What a copy moved. */
    public record Copied(long keys, long bytes) {
    }

    /**
     * Copies every key of every numbered database, with its remaining TTL, onto the emptied target, {@code jobs} batches
     * at a time. A key that expires or goes between the scan and its {@code DUMP} is not copied: it is gone on the source too.
     */
    public static Copied copy(DatabaseCredentials source, DatabaseCredentials target, int jobs) throws IOException {
        AtomicLong keys = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        try (RedisConnection t = RedisConnection.open(target)) {
            t.call("FLUSHALL");
        }
        Batches.run(source, target, jobs, (db, s, t, found) -> {
            List<Object> dumped = s.pipeline(dumps(found));
            List<Object[]> writes = new ArrayList<>();
            for (int i = 0; i < found.size(); i++) {
                long ttl = (Long) dumped.get(2 * i);
                if (dumped.get(2 * i + 1) instanceof byte[] value && ttl != -2) {
                    writes.add(new Object[] {"RESTORE", found.get(i), ttl < 0 ? 0 : ttl, value, "REPLACE"});
                    bytes.addAndGet(value.length);
                }
            }
            for (Object reply : t.pipeline(writes)) {
                if (reply instanceof RedisConnection.RedisException e) {
                    throw e;
                }
            }
            keys.addAndGet(writes.size());
        });
        return new Copied(keys.get(), bytes.get());
    }

    /** Makes the target a replica of the source, logged in as the source's migration user: Redis sends everything. */
    public static void follow(RedisConnection target, DatabaseCredentials source) throws IOException {
        target.call("CONFIG", "SET", "masteruser", source.user());
        target.call("CONFIG", "SET", "masterauth", source.password());
        target.call("REPLICAOF", source.host(), source.port());
    }

    /** Whether the target replicates from the source (what a crash or a retry finds already started). */
    public static boolean follows(RedisConnection target, DatabaseCredentials source) throws IOException {
        Map<String, String> info = target.info("replication");
        return "slave".equals(info.get("role")) && String.valueOf(source.port()).equals(info.get("master_port"));
    }

    /** Waits until the replica has loaded the source's snapshot and streams its writes. */
    public static void awaitInSync(RedisConnection target, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, String> info = target.info("replication");
            if ("up".equals(info.get("master_link_status")) && "0".equals(info.get("master_sync_in_progress"))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the Redis replica did not load the source's snapshot within " + timeout.toSeconds() + " s");
            }
            sleep(20);
        }
    }

    /** How many bytes of the source's replication stream the target has not applied yet. */
    public static long lagBytes(RedisConnection source, RedisConnection target) throws IOException {
        long sourceOffset = Long.parseLong(source.info("replication").getOrDefault("master_repl_offset", "0"));
        long applied = Long.parseLong(target.info("replication").getOrDefault("slave_repl_offset", "-1"));
        return Math.max(0, sourceOffset - applied);
    }

    /**
     * Inside the freeze (the source fenced): waits until the target has applied the source's whole stream, and returns
     * how long that took. Redis replicates the exact commands in order: the same offset is the same data.
     */
    public static long catchUp(RedisConnection source, RedisConnection target, Duration timeout) throws IOException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        long sourceOffset = Long.parseLong(source.info("replication").getOrDefault("master_repl_offset", "0"));
        while (Long.parseLong(target.info("replication").getOrDefault("slave_repl_offset", "-1")) < sourceOffset) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the Redis replica did not catch up within " + timeout.toMillis() + " ms");
            }
            sleep(1);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Stops following: the target keeps its data and takes writes. */
    public static void promote(RedisConnection target) throws IOException {
        target.call("REPLICAOF", "NO", "ONE");
    }

    /** Every key of every numbered database, by database. */
    public static Map<Integer, Long> keyCounts(RedisConnection r) throws IOException {
        Map<Integer, Long> counts = new HashMap<>();
        for (int db : databases(r)) {
            r.call("SELECT", db);
            counts.put(db, (Long) r.call("DBSIZE"));
        }
        r.call("SELECT", 0);
        return counts;
    }

    /**
     * Compares every key of both sides, numbered database by numbered database, {@code jobs} batches at a time: counts,
     * then each source key's value and TTL against the target's. Values are compared by their {@code DUMP} first (equal
     * serializations are equal values, and Redis makes them fast); a key whose serializations differ (the same content can
     * be encoded differently, a hash table's order differs) is compared by its digest. With the source still
     * ({@code still}), any difference is one. With the source serving (live, before the gate), a key that differs is read
     * again on both sides once the target has caught up to the source's stream: only a key that differs twice with the
     * same source value differs; one the source keeps changing is counted as in flight, and its final value is what the
     * freeze's catch-up moves. Counts are compared only when still.
     */
    public static List<TableComparison> compare(String database, DatabaseCredentials source, DatabaseCredentials target, int jobs,
                                                boolean still) throws IOException {
        Map<Integer, List<String>> differing = new ConcurrentHashMap<>();
        Map<Integer, AtomicLong> inFlight = new ConcurrentHashMap<>();
        Batches.run(source, target, jobs, (db, s, t, keys) -> {
            List<Object> here = s.pipeline(dumps(keys));
            List<Object> there = t.pipeline(dumps(keys));
            List<Object> suspects = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                if (!sameDump(here, there, i)) {
                    suspects.add(keys.get(i));
                }
            }
            if (suspects.isEmpty()) {
                return;
            }
            List<Object> digests = digests(s, suspects);
            List<Object> confirmed = differing(suspects, digests, digests(t, suspects));
            if (!confirmed.isEmpty() && !still) {
                catchUp(s, t, Duration.ofSeconds(10));
                List<Object> again = digests(s, confirmed);
                List<Object> stable = new ArrayList<>();
                for (int j = 0; j < confirmed.size(); j++) {
                    int i = suspects.indexOf(confirmed.get(j));
                    if (Objects.equals(text(again.get(2 * j)), text(digests.get(2 * i)))) {
                        stable.add(confirmed.get(j));
                    } else {
                        inFlight.computeIfAbsent(db, n -> new AtomicLong()).incrementAndGet();
                    }
                }
                confirmed = stable.isEmpty() ? stable : differing(stable, digests(s, stable), digests(t, stable));
            }
            List<String> named = differing.computeIfAbsent(db, n -> new CopyOnWriteArrayList<>());
            List<Object> missing = confirmed.isEmpty() ? List.of() : t.pipeline(confirmed.stream().map(k -> new Object[] {"EXISTS", k}).toList());
            for (int j = 0; j < confirmed.size(); j++) {
                named.add(text(confirmed.get(j)) + ((Long) missing.get(j) == 0 ? " missing" : " differs"));
            }
        });
        List<TableComparison> tables = new ArrayList<>();
        try (RedisConnection s = RedisConnection.open(source); RedisConnection t = RedisConnection.open(target)) {
            Map<Integer, Long> here = keyCounts(s);
            Map<Integer, Long> there = keyCounts(t);
            TreeSet<Integer> dbs = new TreeSet<>(here.keySet());
            dbs.addAll(there.keySet());
            for (int db : dbs) {
                long sourceKeys = here.getOrDefault(db, 0L);
                long targetKeys = there.getOrDefault(db, 0L);
                List<String> named = differing.getOrDefault(db, List.of()).stream().sorted().toList();
                boolean countsDiffer = still && sourceKeys != targetKeys;
                List<String> parts = new ArrayList<>();
                if (countsDiffer) {
                    parts.add(sourceKeys + " keys on the source, " + targetKeys + " on the target");
                }
                if (!named.isEmpty()) {
                    parts.add(String.join(", ", named.subList(0, Math.min(5, named.size()))) + (named.size() > 5
                            ? " and " + (named.size() - 5) + " more keys" : ""));
                }
                long changing = inFlight.getOrDefault(db, new AtomicLong()).get();
                String difference = parts.isEmpty() ? null : String.join("; ", parts);
                tables.add(new TableComparison(database, "db" + db + (changing > 0 ? " (" + changing + " keys changing, moved in the freeze)" : ""),
                        sourceKeys, targetKeys, difference == null, difference));
            }
        }
        return tables;
    }

    /** The keys among {@code keys} whose digest or TTL differs between the two sides' digests. */
    private static List<Object> differing(List<Object> keys, List<Object> here, List<Object> there) {
        List<Object> found = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (!same(here, there, i)) {
                found.add(keys.get(i));
            }
        }
        return found;
    }

    private static List<Object[]> dumps(List<Object> keys) {
        List<Object[]> reads = new ArrayList<>(2 * keys.size());
        for (Object key : keys) {
            reads.add(new Object[] {"PTTL", key});
            reads.add(new Object[] {"DUMP", key});
        }
        return reads;
    }

    private static boolean sameDump(List<Object> a, List<Object> b, int i) {
        return a.get(2 * i + 1) instanceof byte[] x && b.get(2 * i + 1) instanceof byte[] y && Arrays.equals(x, y)
                && sameTtl((Long) a.get(2 * i), (Long) b.get(2 * i));
    }

    /** The numbered databases that hold keys ({@code INFO keyspace}); database 0 always. */
    static List<Integer> databases(RedisConnection r) throws IOException {
        TreeSet<Integer> dbs = new TreeSet<>(List.of(0));
        for (String field : r.info("keyspace").keySet()) {
            if (field.startsWith("db")) {
                dbs.add(Integer.parseInt(field.substring(2)));
            }
        }
        return new ArrayList<>(dbs);
    }

    private static List<Object> digests(RedisConnection r, List<Object> keys) throws IOException {
        Object[] call = new Object[3 + keys.size()];
        call[0] = "EVAL";
        call[1] = DIGESTS;
        call[2] = keys.size();
        for (int i = 0; i < keys.size(); i++) {
            call[3 + i] = keys.get(i);
        }
        return list(r.call(call));
    }

    private static boolean same(List<Object> a, List<Object> b, int i) {
        if (!Objects.equals(text(a.get(2 * i)), text(b.get(2 * i)))) {
            return false;
        }
        return sameTtl((Long) a.get(2 * i + 1), (Long) b.get(2 * i + 1));
    }

    private static boolean sameTtl(long a, long b) {
        return a < 0 || b < 0 ? a == b : Math.abs(a - b) <= TTL_TOLERANCE_MILLIS;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object reply) {
        return (List<Object>) reply;
    }

    static String text(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
