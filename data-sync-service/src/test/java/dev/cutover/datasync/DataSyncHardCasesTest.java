package dev.cutover.datasync;

import static dev.cutover.testkit.TestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Message;
import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.Topics;
import dev.cutover.contracts.datasync.DataSyncCompensated;
import dev.cutover.contracts.datasync.DataSyncFailed;
import dev.cutover.contracts.datasync.AwaitCatchUp;
import dev.cutover.contracts.datasync.DataSynced;
import dev.cutover.contracts.datasync.ReplicationCaughtUp;
import dev.cutover.contracts.datasync.FinalSyncCompensated;
import dev.cutover.contracts.datasync.SwitchPointVerified;
import dev.cutover.contracts.datasync.SyncData;
import dev.cutover.contracts.datasync.TableComparison;
import dev.cutover.contracts.datasync.TargetVerified;
import dev.cutover.contracts.datasync.UndoFinalSync;
import dev.cutover.contracts.datasync.UndoSyncData;
import dev.cutover.contracts.datasync.VerifyTarget;
import dev.cutover.contracts.datasync.WalRetentionExceeded;
import dev.cutover.contracts.migration.StepProgressed;
import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.Environment;
import dev.cutover.platform.NewEnvironment;
import dev.cutover.platform.Platform;
import dev.cutover.platform.PostgresWriteFence;
import dev.cutover.platform.Server;
import dev.cutover.stack.Ports;
import dev.cutover.stack.PostgresServer;
import dev.cutover.testkit.SharedTestInfrastructure;
import dev.cutover.testkit.TestSupport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both strategies on real PostgreSQL, with the cases that break naive copies: several schemas, case-sensitive and
 * reserved identifiers, NULLs, bytea, numeric precision, zoned timestamps, a large row, enum, array and jsonb columns,
 * composite keys, foreign keys, a table without a primary key (snapshot only: preflight refuses it for live), and tables
 * created or altered during a live sync. Each environment's database has its own login, as on the platform.
 */
@QuarkusTest
@QuarkusTestResource(value = SharedTestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "data_sync"))
class DataSyncHardCasesTest {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String SCHEMA = """
            create schema "Sales";
            create type mood as enum ('sad', 'ok', 'happy');
            create table "Sales"."Order" ("id" bigserial primary key, "select" text, "CamelCase" int, amount numeric(30, 10),
                at timestamptz, tags text[], mood mood, blob bytea, doc jsonb, note text);
            create index order_at on "Sales"."Order" (at);
            create table public.line (id serial primary key, order_id bigint not null references "Sales"."Order" (id),
                qty int check (qty > 0), unique (order_id, id));
            create table public.composite (a int, b text, v jsonb, primary key (a, b));
            create table public.ticket (id bigint generated always as identity primary key, title text);
            insert into public.ticket (title) select 't' || i from generate_series(1, 30) i;
            insert into "Sales"."Order" ("select", "CamelCase", amount, at, tags, mood, blob, doc, note)
            select case when i % 7 = 0 then null else 'o''rder "' || i || '"' end, i, 12345678901234567890.0123456789 / i,
                   timestamptz '2026-03-29 01:30:00+01' + i * interval '17 minutes',
                   array['a,b', null, 'c"d', i::text], (array['sad', 'ok', 'happy'])[i % 3 + 1]::mood,
                   decode(md5(i::text), 'hex') || '\\x00ff'::bytea, jsonb_build_object('i', i, 'nested', jsonb_build_array(i, null)),
                   case when i = 42 then repeat('large row ', 200000) end
            from generate_series(1, 250) i;
            insert into public.line (order_id, qty) select (i % 250) + 1, i % 5 + 1 from generate_series(1, 500) i;
            insert into public.composite select i % 10, 'k' || i, '{"x": [1, 2]}' from generate_series(1, 300) i;
            """;
    private static final String NO_KEY = """
            create table public.nokey (a int, b text);
            insert into public.nokey select i % 3, null from generate_series(1, 10) i;
            """;
    private static final List<String> TABLES = List.of("\"Sales\".\"Order\"", "public.line", "public.composite", "public.ticket");

    /**
     * The environments' own server, as on the platform: not the one holding the service's database, because creating a
     * replication slot waits for every transaction on its server to end, the service's own included.
     */
    private static PostgresServer servers;

    private String source;
    private String target;
    private UUID migration;

    @BeforeAll
    static void environmentServer() throws IOException {
        servers = PostgresServer.start("environments", Files.createTempDirectory("cutover-hard-cases").resolve("pg"), Ports.free());
    }

    @AfterAll
    static void stopEnvironmentServer() throws IOException {
        servers.close();
    }

    @BeforeEach
    void environments() throws SQLException {
        int n = SEQ.incrementAndGet() + (int) (System.nanoTime() % 100000) * 10;
        source = "hard_" + n + "_src";
        target = "hard_" + n + "_tgt";
        migration = UUID.randomUUID();
        for (String env : List.of(source, target)) {
            admin("create role " + env + " login replication password 'pw-" + env + "'",
                    "grant pg_create_subscription to " + env,
                    "create database " + env + " owner " + env);
        }
        QuarkusMock.installMockForType(new TwoEnvironments(), Platform.class);
    }

    @Test
    void aSnapshotCopyArrivesIntactAndVerifiedByChecksumIncludingATableWithoutAPrimaryKey() throws SQLException {
        run(source, SCHEMA + NO_KEY);

        sync(Strategy.SNAPSHOT, false, DataSynced.class);
        TargetVerified verified = command(new VerifyTarget(migration, source, target), TargetVerified.class);

        assertEquals(5, verified.tables().size(), verified.tables().toString());
        assertTrue(verified.tables().stream().allMatch(TableComparison::matches), verified.tables().toString());
        for (String table : List.of("\"Sales\".\"Order\"", "public.line", "public.composite", "public.ticket", "public.nokey")) {
            assertEquals(rows(source, table), rows(target, table), table);
        }
        assertEquals(structure(source), structure(target), "keys, indexes, checks and foreign keys are built on the target");
        assertEquals("251", query(target, "select nextval('\"Sales\".\"Order_id_seq\"')").get(0).get(0), "the sequence is past the copied ids");
        assertEquals("31", query(target, "select nextval(pg_get_serial_sequence('public.ticket', 'id'))").get(0).get(0),
                "an identity column's sequence is past the copied ids too");
        assertEquals("nothing to catch up: no database replicates",
                command(new AwaitCatchUp(migration, source, target, false), ReplicationCaughtUp.class).detail());
    }

    @Test
    void aChecksumMismatchNamesTheTableAndTheChunk() throws SQLException {
        run(source, SCHEMA);
        sync(Strategy.SNAPSHOT, false, DataSynced.class);
        // A trigger stands in for damage on the way: the row with id 150 arrives altered when the final copy writes it.
        run(target, """
                create function corrupt() returns trigger language plpgsql as $$
                begin if new.id = 150 then new.amount = new.amount + 1; end if; return new; end $$;
                create trigger corrupt before insert on "Sales"."Order" for each row execute function corrupt();
                alter table "Sales"."Order" enable always trigger corrupt;
                """);

        DataSyncFailed failed = sync(Strategy.SNAPSHOT, true, DataSyncFailed.class);

        // 250 rows in chunks of about 100 (the test configuration), cut by key range: id 150 is in the second.
        assertTrue(failed.reason().contains("app.\"Sales\".\"Order\" chunk 2 of 3 (id >= 85 and id < 169)"
                + ": source 84 rows, target 84, same count, different content"), failed.reason());
    }

    @Test
    void liveReplicationCarriesChangesMadeDuringTheSyncAndTheFinalSyncEndsItLeavingNothingOnTheSource() throws SQLException {
        run(source, SCHEMA);
        sync(Strategy.LIVE, false, DataSynced.class);
        assertEquals(List.of(List.of("1")), query(source, "select count(*) from pg_replication_slots where slot_name like 'cutover_%' and database = current_database()"));

        run(source, """
                insert into "Sales"."Order" ("select", amount, at, tags, mood, blob, note)
                values ('added live', 0.0000000001, '2026-11-21 23:59:59.999999-11', '{x,NULL}', 'happy', '\\x00', repeat('z', 100000));
                update "Sales"."Order" set tags = tags || 'updated'::text, mood = 'sad' where id % 10 = 0;
                delete from public.line where id > 450;
                update public.composite set v = null where a = 3;
                insert into public.line (order_id, qty) values (251, 9);
                """);
        eventually(() -> TABLES.forEach(t -> assertEquals(rows(source, t), rows(target, t), t)));
        StepProgressed lag = await(StepProgressed.class, p -> p.figures() != null && p.figures().containsKey("lagBytes"));
        assertTrue(lag.figures().get("walRetainedBytes") >= 0, lag.toString());
        await(WalRetentionExceeded.class, w -> true);

        DataSynced done = sync(Strategy.LIVE, true, DataSynced.class);

        assertEquals(4, done.tables());
        for (String t : TABLES) {
            assertEquals(rows(source, t), rows(target, t), t);
        }
        // The replication is removed right after the freeze, not inside it.
        eventually(this::assertNothingLeft);
        assertEquals("252", query(target, "select nextval('\"Sales\".\"Order_id_seq\"')").get(0).get(0));
    }

    /**
     * A writer straight into the source database, not through any router, with a transaction open when the final sync
     * begins: the fence ends it (rolled back, an error to the writer), refuses its next write, and whatever it had
     * committed is on the target; the switch point is then proven row by row; the compensation lets writes in again.
     */
    @Test
    void theFinalSyncFencesADirectWriterAndLosesNothingAndItsCompensationLetsWritesInAgain() throws Exception {
        run(source, SCHEMA);
        sync(Strategy.LIVE, false, DataSynced.class);
        Connection writer = DriverManager.getConnection(servers.jdbcUrl(source), source, "pw-" + source);
        try (Statement w = writer.createStatement()) {
            w.execute("insert into public.ticket (title) values ('committed before the fence')");
            writer.setAutoCommit(false);
            w.execute("insert into public.ticket (title) values ('open when the fence came')");

            DataSynced done = sync(Strategy.LIVE, true, DataSynced.class);

            assertEquals(4, done.tables());
            SQLException ended = assertThrows(SQLException.class, () -> writer.commit(), "the open transaction was ended");
            assertTrue(ended.getSQLState().startsWith("57") || ended.getSQLState().startsWith("08"), ended.getSQLState());
        } finally {
            writer.close();
        }
        SQLException refused = assertThrows(SQLException.class, () -> {
            try (Connection c = DriverManager.getConnection(servers.jdbcUrl(source), source, "pw-" + source);
                 Statement w = c.createStatement()) {
                w.execute("insert into public.ticket (title) values ('after the fence')");
            }
        });
        assertEquals("25006", refused.getSQLState(), "a new session can't write: " + refused.getMessage());
        assertEquals(rows(source, "public.ticket"), rows(target, "public.ticket"));
        assertEquals(List.of(List.of("1")), query(target, "select count(*) from public.ticket where title = 'committed before the fence'"));

        SwitchPointVerified proof = await(SwitchPointVerified.class, v -> true);
        assertTrue(proof.matches(), proof.detail());
        assertEquals(4, proof.tables().size(), proof.tables().toString());
        assertEquals(List.of(List.of("1")), query(target, "select count(*) from public.ticket where title = 'committed before the fence'"));

        command(new UndoFinalSync(migration, source), FinalSyncCompensated.class);
        run(source, "insert into public.ticket (title) values ('after the fence was lifted')");
        assertEquals(List.of(List.of("1")), query(source, "select count(*) from public.ticket where title = 'after the fence was lifted'"));
    }

    /**
     * Busy writers committing asynchronously (the servers run with {@code synchronous_commit = off}, as many do): their
     * last commits are seen on the source before their WAL is written. The catch-up point must still cover them: the
     * target held at the switch point has every row the fenced source has.
     */
    @Test
    void theSwitchPointHasEveryCommitOfBusyAsynchronousWriters() throws Exception {
        run(source, SCHEMA);
        sync(Strategy.LIVE, false, DataSynced.class);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread writer = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(servers.jdbcUrl(source), source, "pw-" + source); Statement w = c.createStatement()) {
                    c.setAutoCommit(false);
                    while (writing.get()) {
                        w.execute("update \"Sales\".\"Order\" set \"CamelCase\" = \"CamelCase\" + 1 where id = " + (1 + (int) (Math.random() * 250)));
                        w.execute("insert into public.ticket (title) values ('busy')");
                        c.commit();
                    }
                } catch (SQLException fenced) {
                    // the fence ended the session: the writer stops
                }
            });
            writer.start();
            writers.add(writer);
        }
        Thread.sleep(1000);

        // Right before the freeze, under the same writers: the target is brought within the configured lag, read afresh.
        ReplicationCaughtUp caughtUp = command(new AwaitCatchUp(migration, source, target, false), ReplicationCaughtUp.class);
        assertTrue(caughtUp.detail().startsWith("caught up in "), caughtUp.detail());
        assertTrue(caughtUp.figures().get("behindBytes") <= 16 * 1024, caughtUp.toString());
        sync(Strategy.LIVE, true, DataSynced.class);
        writing.set(false);
        for (Thread writer : writers) {
            writer.join(5000);
        }

        SwitchPointVerified proof = await(SwitchPointVerified.class, v -> true);
        assertTrue(proof.matches(), proof.detail());
        assertTrue(Long.parseLong(query(source, "select count(*) from public.ticket").get(0).get(0)) > 100, "the writers wrote");
    }

    @Test
    void abortingALiveSyncDropsTheSlotAndPublicationOnTheSourceAndTheTargetsCopy() throws SQLException {
        run(source, SCHEMA);
        sync(Strategy.LIVE, false, DataSynced.class);

        command(new UndoSyncData(migration, source, target), DataSyncCompensated.class);

        assertNothingLeft();
        assertEquals(List.of(List.of("0")), query(target, "select count(*) from \"Sales\".\"Order\""));
    }

    @Test
    void aTableCreatedOnTheSourceDuringALiveSyncStopsTheSwitchOverNamingIt() throws SQLException {
        run(source, SCHEMA);
        sync(Strategy.LIVE, false, DataSynced.class);
        run(source, "create table public.\"late table\" (id int primary key)");

        DataSyncFailed failed = sync(Strategy.LIVE, true, DataSyncFailed.class);

        assertTrue(failed.reason().contains("\"public\".\"late table\" created on the source during the sync"), failed.reason());
    }

    @Test
    void aTableAlteredOnTheSourceDuringALiveSyncStopsTheSwitchOverNamingIt() throws SQLException {
        run(source, SCHEMA);
        sync(Strategy.LIVE, false, DataSynced.class);
        run(source, "alter table public.composite add column extra int");

        DataSyncFailed failed = sync(Strategy.LIVE, true, DataSyncFailed.class);

        assertTrue(failed.reason().contains("\"public\".\"composite\" was altered on the source during the sync"), failed.reason());
        command(new UndoSyncData(migration, source, target), DataSyncCompensated.class);
        assertNothingLeft();
    }

    private void assertNothingLeft() {
        assertEquals(List.of(List.of("0")), query(source, "select count(*) from pg_replication_slots where database = current_database()"));
        assertEquals(List.of(List.of("0")), query(source, "select count(*) from pg_publication"));
        assertEquals(List.of(List.of("0")), query(target, "select count(*) from pg_subscription s join pg_database d on d.oid = s.subdbid"
                + " where d.datname = current_database()"));
    }

    private <T extends Message> T sync(Strategy strategy, boolean finalSync, Class<T> outcome) {
        return command(new SyncData(migration, source, target, strategy, finalSync, false), outcome);
    }

    private <T extends Message> T command(Message command, Class<T> outcome) {
        int before = events(outcome).size();
        TestSupport.send(Topics.DATA_SYNC_COMMANDS, migration.toString(), Envelopes.encode(Envelopes.wrap("test", command)));
        int failuresBefore = events(DataSyncFailed.class).size();
        return eventually(() -> {
            List<T> found = events(outcome);
            List<DataSyncFailed> failures = events(DataSyncFailed.class);
            assertTrue(found.size() > before, "no " + outcome.getSimpleName() + " yet"
                    + (failures.size() > failuresBefore ? ", but " + failures.get(failures.size() - 1) : ""));
            return found.get(found.size() - 1);
        });
    }

    private <T extends Message> T await(Class<T> type, java.util.function.Predicate<T> filter) {
        return eventually(() -> events(type).stream().filter(filter).findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName())));
    }

    private <T extends Message> List<T> events(Class<T> type) {
        return TestSupport.readAll(Topics.STEP_EVENTS, migration.toString()).stream().map(ConsumerRecord::value)
                .map(Envelopes::read).filter(type::isInstance).map(type::cast).toList();
    }

    /** Every row as text, in key order: what a user would compare by hand. */
    private static List<List<String>> rows(String database, String table) {
        return query(database, "select t::text from " + table + " t order by t::text");
    }

    private static List<List<String>> structure(String database) {
        return query(database, """
                select conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) from pg_constraint
                where connamespace::regnamespace::text not in ('pg_catalog', 'information_schema')
                union all select indexdef from pg_indexes where schemaname not in ('pg_catalog', 'information_schema')
                order by 1""");
    }

    private static List<List<String>> query(String database, String sql) {
        try (Connection c = servers.connect(database)) {
            return TestSupport.rows(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException("query on " + database + " failed: " + sql, e);
        }
    }

    private static void admin(String... statements) throws SQLException {
        try (Connection c = servers.connect("postgres"); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** Runs SQL as the environment's own login, like its application would. */
    private static void run(String database, String sql) {
        try (Connection c = DriverManager.getConnection(servers.jdbcUrl(database), database, "pw-" + database);
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The platform as data-sync sees it: two environments, each with a PostgreSQL database "app" (named after it on the server). */
    private final class TwoEnvironments implements Platform {
        @Override
        public Optional<Environment> environment(String name) {
            if (!name.equals(source) && !name.equals(target)) {
                return Optional.empty();
            }
            return Optional.of(new Environment(name, "owner", "eu-1", "eu", null, "v1", "running", null, null, null,
                    List.of(new Environment.Database("app", "postgresql", "small", "17", "eu-1", 0))));
        }

        @Override
        public DatabaseCredentials credentials(String environment, String database) {
            return new DatabaseCredentials("127.0.0.1", servers.port(), environment, environment, "pw-" + environment);
        }

        @Override
        public void fenceWrites(String environment, boolean fenced) {
            try (Connection admin = servers.connect("postgres")) {
                if (fenced) {
                    PostgresWriteFence.fence(admin, environment);
                } else {
                    PostgresWriteFence.lift(admin, environment);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Optional<Server> server(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Environment> environmentsOn(String server) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Environment createEnvironment(NewEnvironment spec) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void copySkeleton(String from, String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deploy(String environment, String release) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void start(String environment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void stop(String environment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setMaintenance(String environment, boolean on) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setFrozen(String environment, boolean on) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setProtected(String environment, boolean on) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void makeDefault(String environment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void destroy(String environment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> pendingSchemaMigrations(String environment) {
            throw new UnsupportedOperationException();
        }
    }
}
