package dev.cutover.datasync.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.contracts.datasync.TableComparison;
import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.redis.RedisConnection;
import dev.cutover.stack.Ports;
import dev.cutover.stack.RedisBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Moving and comparing a Redis database, on two real Redis servers. */
class RedisSyncTest {

    private final List<Process> servers = new ArrayList<>();
    private DatabaseCredentials sourceLogin;
    private DatabaseCredentials targetLogin;
    private RedisConnection source;
    private RedisConnection target;

    @BeforeEach
    void start() throws Exception {
        Path dir = Files.createTempDirectory("redis-sync-test");
        String binary = RedisBinary.extract(dir);
        sourceLogin = server(binary, dir);
        source = RedisConnection.open(sourceLogin);
        targetLogin = server(binary, dir);
        target = RedisConnection.open(targetLogin);
        // Every type, TTLs, binary values, two numbered databases.
        source.pipeline(List.of(new Object[] {"SET", "s", "v", "PX", 600_000}, new Object[] {"HSET", "h", "a", "1", "b", "2"},
                new Object[] {"RPUSH", "l", "x", "y"}, new Object[] {"SADD", "set", "p", "q"}, new Object[] {"ZADD", "z", 1.5, "m"},
                new Object[] {"XADD", "stream", "1-1", "f", "v"}, new Object[] {"SET", "bin", new byte[] {0, (byte) 0xff, '\r', '\n'}},
                new Object[] {"SELECT", 5}, new Object[] {"SET", "five", "5"}, new Object[] {"SELECT", 0}));
        for (int i = 0; i < 1200; i++) {
            source.call("SET", "k" + i, String.valueOf(i));
        }
    }

    @AfterEach
    void stop() {
        source.close();
        target.close();
        servers.forEach(Process::destroyForcibly);
    }

    @Test
    void aSnapshotCopyMovesEveryKeyWithItsTtlAndTheComparisonFindsThemEqual() throws Exception {
        RedisSync.Copied copied = RedisSync.copy(sourceLogin, targetLogin, 3);

        assertEquals(1208, copied.keys());
        long ttl = (Long) target.call("PTTL", "s");
        assertTrue(ttl > 590_000 && ttl <= 600_000, "TTL kept: " + ttl);
        target.call("SELECT", 5);
        assertEquals("5", target.string("GET", "five"));
        target.call("SELECT", 0);
        List<TableComparison> compared = RedisSync.compare("store", sourceLogin, targetLogin, 3, true);
        assertEquals(List.of("db0", "db5"), compared.stream().map(TableComparison::table).toList());
        assertTrue(compared.stream().allMatch(TableComparison::matches), compared.toString());
    }

    @Test
    void theComparisonNamesAKeyThatDiffersOneThatIsMissingAndAnExtraOne() throws Exception {
        RedisSync.copy(sourceLogin, targetLogin, 3);
        target.call("HSET", "h", "b", "3");
        target.call("DEL", "l");
        target.call("SET", "extra", "1");
        target.call("EXPIRE", "k7", 100);

        TableComparison db0 = RedisSync.compare("store", sourceLogin, targetLogin, 3, true).get(0);

        assertFalse(db0.matches());
        assertTrue(db0.difference().contains("h differs") && db0.difference().contains("l missing")
                && db0.difference().contains("k7 differs"), db0.difference());
        assertEquals(1207, db0.sourceRows());

        target.call("SET", "l", "back");
        target.call("DEL", "extra");
        TableComparison counted = RedisSync.compare("store", sourceLogin, targetLogin, 3, true).get(0);
        assertTrue(counted.difference().contains("l differs"), counted.difference());
        source.call("DEL", "l", "h", "k7");
        TableComparison extra = RedisSync.compare("store", sourceLogin, targetLogin, 3, true).get(0);
        assertEquals("1204 keys on the source, 1207 on the target", extra.difference(), "keys only the target has are counted");
    }

    @Test
    void aReplicaFollowsWritesCatchesUpAndIsPromotedWithEveryKey() throws Exception {
        RedisSync.follow(target, sourceLogin);
        RedisSync.awaitInSync(target, Duration.ofSeconds(30));
        assertTrue(RedisSync.follows(target, sourceLogin));
        for (int i = 0; i < 100; i++) {
            source.call("INCR", "counter");
        }

        RedisSync.catchUp(source, target, Duration.ofSeconds(5));
        assertEquals(0, RedisSync.lagBytes(source, target));
        assertTrue(RedisSync.compare("store", sourceLogin, targetLogin, 3, false).stream().allMatch(TableComparison::matches));
        RedisSync.promote(target);

        assertFalse(RedisSync.follows(target, sourceLogin));
        assertEquals("100", target.string("GET", "counter"));
        assertEquals(RedisSync.keyCounts(source), RedisSync.keyCounts(target));
        assertEquals("OK", target.call("SET", "after", "1"), "a promoted replica takes writes");
    }

    private DatabaseCredentials server(String binary, Path dir) throws IOException, InterruptedException {
        int port = Ports.free();
        Process p = new ProcessBuilder(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--dir",
                dir.toString(), "--dbfilename", port + ".rdb", "--user", "default", "off", "--user", "cutover", "on", ">secret",
                "~*", "&*", "+@all").redirectErrorStream(true).redirectOutput(dir.resolve(port + ".log").toFile()).start();
        servers.add(p);
        DatabaseCredentials login = new DatabaseCredentials("127.0.0.1", port, "0", "cutover", "secret");
        for (int i = 0; i < 200; i++) {
            try (RedisConnection r = RedisConnection.open(login)) {
                r.call("PING");
                return login;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IOException("Redis did not start on " + port);
    }
}
