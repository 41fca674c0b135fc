package dev.cutover.preflight.check;

import dev.cutover.contracts.preflight.RunPreflight;
import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.Environment;
import dev.cutover.platform.Platform;
import dev.cutover.platform.PlatformException;
import dev.cutover.platform.Server;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** Asks the platform and the source's databases what the checks need, all at once, so preflight takes as long as its slowest question. */
@ApplicationScoped
public class FactGathering {

    private static final String TABLES_WITHOUT_IDENTITY = """
            select format('%I.%I', n.nspname, c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('r', 'p') and not c.relispartition
              and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
              and not (c.relreplident in ('f', 'i')
                       or (c.relreplident = 'd' and exists (select 1 from pg_index i where i.indrelid = c.oid and i.indisprimary)))
            order by 1""";

    private static final String UNOWNED = """
            select kind, name, owner, may_read, may_write from (
              select case c.relkind when 'S' then 'sequence' else 'table' end as kind, format('%I.%I', n.nspname, c.relname) as name,
                     pg_get_userbyid(c.relowner) as owner,
                     case c.relkind when 'S' then has_sequence_privilege(c.oid, 'SELECT') else has_table_privilege(c.oid, 'SELECT') end as may_read,
                     case c.relkind when 'S' then has_sequence_privilege(c.oid, 'UPDATE')
                          else has_table_privilege(c.oid, 'INSERT') and has_table_privilege(c.oid, 'UPDATE')
                               and has_table_privilege(c.oid, 'DELETE') end as may_write
              from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where c.relkind in ('r', 'p', 'S') and not c.relispartition
                and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
                and not pg_has_role(c.relowner, 'USAGE')
              union all
              select 'schema', format('%I', n.nspname), pg_get_userbyid(n.nspowner), has_schema_privilege(n.oid, 'USAGE'), true
              from pg_namespace n
              where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
                and not pg_has_role(n.nspowner, 'USAGE')
                and exists (select 1 from pg_class c where c.relnamespace = n.oid and c.relkind in ('r', 'p', 'S'))
            ) objects order by kind, name""";

    @Inject
    Platform platform;

    private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "preflight-probe");
        t.setDaemon(true);
        return t;
    });

    void stop(@Observes ShutdownEvent ignored) {
        pool.shutdownNow();
    }

    public Facts gather(RunPreflight command) {
        String environment = command.environment();
        String targetEnvironment = command.targetEnvironment();
        boolean recheck = command.recheck();
        // Another tenant's environment is, to this migration, one that does not exist: nothing of it is probed or told.
        CompletableFuture<Optional<Environment>> source = async(() -> platform.environment(environment)
                .filter(e -> command.tenant() == null || command.tenant().equals(e.owner())));
        CompletableFuture<Optional<Server>> target = async(() -> platform.server(command.targetServer()));
        CompletableFuture<Facts.Probe<List<String>>> pending = async(() -> probe(() -> platform.pendingSchemaMigrations(environment)));
        Map<String, CompletableFuture<Facts.Probe<Facts.DatabaseFacts>>> databases = new LinkedHashMap<>();
        source.join().ifPresent(env -> env.databases().stream().filter(d -> "postgresql".equals(d.kind())).forEach(d ->
                databases.put(d.name(), async(() -> probe(() -> database(platform.credentials(environment, d.name())))))));
        Map<String, CompletableFuture<Facts.Probe<Facts.DatabaseFacts>>> targets = new LinkedHashMap<>();
        if (recheck && targetEnvironment != null) {
            databases.keySet().forEach(name ->
                    targets.put(name, async(() -> probe(() -> database(platform.credentials(targetEnvironment, name))))));
        }
        return new Facts(environment, source.join(), command.targetServer(), target.join(), command.strategy(), recheck, command.oneWay(),
                source.join().isPresent() ? pending.join() : Facts.Probe.failed("no such environment"), joined(databases),
                joined(targets), Instant.now());
    }

    private static Map<String, Facts.Probe<Facts.DatabaseFacts>> joined(Map<String, CompletableFuture<Facts.Probe<Facts.DatabaseFacts>>> asked) {
        Map<String, Facts.Probe<Facts.DatabaseFacts>> answered = new LinkedHashMap<>();
        asked.forEach((name, future) -> answered.put(name, future.join()));
        return answered;
    }

    private <T> CompletableFuture<T> async(Supplier<T> question) {
        return CompletableFuture.supplyAsync(question, pool);
    }

    private static <T> Facts.Probe<T> probe(ProbeCall<T> call) {
        try {
            return Facts.Probe.of(call.get());
        } catch (SQLException e) {
            // The SQL state, not the driver's message: that may name the user or the host.
            return Facts.Probe.failed("database error " + e.getSQLState());
        } catch (PlatformException e) {
            return Facts.Probe.failed(e.getMessage());
        }
    }

    private interface ProbeCall<T> {
        T get() throws SQLException;
    }

    private static Facts.DatabaseFacts database(DatabaseCredentials credentials) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", credentials.user());
        props.setProperty("password", credentials.password());
        props.setProperty("connectTimeout", "3");
        props.setProperty("readOnly", "true");
        try (Connection c = DriverManager.getConnection(credentials.jdbcUrl(), props); Statement s = c.createStatement()) {
            String walLevel = single(s, "show wal_level");
            int freeSlots = Integer.parseInt(single(s,
                    "select current_setting('max_replication_slots')::int - (select count(*) from pg_replication_slots)"));
            boolean mayReplicate = Boolean.parseBoolean(single(s,
                    "select (rolreplication or rolsuper)::text from pg_roles where rolname = current_user"));
            // Creating a subscription takes a superuser, or from PostgreSQL 16 a member of pg_create_subscription.
            boolean maySubscribe = Boolean.parseBoolean(single(s, """
                    select (r.rolsuper or exists (select 1 from pg_roles g where g.rolname = 'pg_create_subscription'
                                                  and pg_has_role(current_user, g.oid, 'member')))::text
                    from pg_roles r where r.rolname = current_user"""));
            // Each enabled subscription on the server keeps one apply worker for as long as it lives.
            int freeWorkers = Integer.parseInt(single(s, "select current_setting('max_logical_replication_workers')::int"
                    + " - (select count(*) from pg_subscription where subenabled)"));
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(TABLES_WITHOUT_IDENTITY)) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            List<Facts.Unowned> unowned = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(UNOWNED)) {
                while (rs.next()) {
                    unowned.add(new Facts.Unowned(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getBoolean(5)));
                }
            }
            return new Facts.DatabaseFacts(walLevel, freeSlots, mayReplicate, maySubscribe, freeWorkers, tables, unowned);
        }
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
