import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.stack.DemoEnvironment;
import dev.cutover.stack.Http;
import dev.cutover.stack.LoadDriver;
import dev.cutover.stack.LocalStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The switch-over's freeze at several database sizes (issue 13), on the whole stack as `./cutover up` runs it: per size,
 * an environment with the sample app and pgbench data (scale S, its tables owned by the environment's login), a `live`
 * migration eu-1 -> eu-2 with auto-confirm while pgbench writes straight into the source database (-R RATE, 4 clients)
 * and the load driver sends REQUESTS/s through the edge router. Afterwards: pgbench's own invariants on the target,
 * every table of source and target compared (count and a hash of every row), and the migration's own figures. Then the
 * rollback (issue 14): pgbench and the load driver write on the target for a while (the source follows it through the way
 * back), the migration is rolled back, and what the target committed is looked for on the source. Prints two Markdown
 * tables. Run by bench/freeze.sh.
 */
public class FreezeBench {

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("cutover.home", ".")).toAbsolutePath();
        int rate = Integer.getInteger("pgbench.rate", 300);
        int requests = Integer.getInteger("requests", 50);
        String pgbench = System.getProperty("pgbench", "/usr/lib/postgresql/15/bin/pgbench");
        List<Integer> scales = new ArrayList<>();
        for (String a : args) {
            scales.add(Integer.parseInt(a));
        }
        Http http = new Http();
        List<String> rows = new ArrayList<>();
        List<String> rollbacks = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(new LocalStack.Options(home, home.resolve(".cutover-bench"), true), line -> { })) {
            DemoEnvironment.registerServers(stack, http);
            String platform = stack.url(LocalStack.Service.LOCAL_PLATFORM);
            String api = stack.url(LocalStack.Service.ORCHESTRATOR);
            // The first migration of a fresh stack runs on cold JVMs: a small one first, not reported.
            scales.add(0, -1);
            for (int scale : scales) {
                String env = scale < 0 ? "warmup" : "bench" + scale;
                String domain = env + ".example.com";
                DemoEnvironment.create(stack, http, env, domain, 200, 3);
                JsonNode c = http.get(platform + "/environments/" + env + "/databases/main/credentials").orThrow().body();
                Map<String, String> pgEnv = pgEnv(c);
                if (scale > 0) {
                    run(pgEnv, pgbench, "-i", "-q", "-s", String.valueOf(scale));
                    try (Connection s = connect(c); Statement st = s.createStatement()) {
                        // The live strategy needs a key on every table; pgbench_history has none.
                        st.execute("alter table pgbench_history add column id bigserial primary key");
                        st.execute("vacuum analyze");
                    }
                }
                long bytes;
                try (Connection s = connect(c); Statement st = s.createStatement();
                     ResultSet rs = st.executeQuery("select pg_database_size(current_database())")) {
                    rs.next();
                    bytes = rs.getLong(1);
                }
                LoadDriver warm = LoadDriver.start(stack.routerUrl(), domain, requests);
                Thread.sleep(3000);
                warm.stop();
                Path pgbenchLog = Files.createTempFile("pgbench", ".log");
                Process writer = scale > 0 ? writer(pgbench, rate, pgEnv, pgbenchLog) : null;
                LoadDriver load = LoadDriver.start(stack.routerUrl(), domain, requests);
                Thread.sleep(5000);
                String id = http.post(api + "/migrations", Map.of("environment", env, "targetServer", "eu-2", "strategy", "live",
                        "autoConfirm", true)).orThrow().body().path("id").asText();
                JsonNode view = awaitProof(http, api, id, 1800);
                Thread.sleep(2000);
                LoadDriver.Report traffic = load.stop();
                if (writer != null) {
                    writer.destroy();
                    writer.waitFor();
                }
                String pgbenchOut = Files.readString(pgbenchLog, StandardCharsets.UTF_8);
                JsonNode t = http.get(platform + "/environments/" + env + "-eu-2/databases/main/credentials").orThrow().body();
                String invariants = scale > 0 ? invariants(t) : "-";
                long differing = differingTables(c, t);
                long freeze = figure(view, "switch-over", "freezeMillis");
                long fence = figure(view, "final-sync", "fenceMillis");
                int aborted = count(pgbenchOut, "client \\d+ (script \\d+ )?aborted");
                long acked = traffic.ackedWrites().size();
                rows.add(String.format("| %d | %.0f MB | %s | %d ms | %d ms | %d ms | %d of %d | %d | %s | %d | %s |", scale, bytes / 1e6,
                        view.path("state").asText(), freeze, fence, traffic.maxMillis(), traffic.failed(), traffic.requests(),
                        aborted, invariants, differing, proof(view)));
                if (scale < 0) {
                    rows.remove(rows.size() - 1);
                    continue;
                }
                System.out.println(rows.get(rows.size() - 1));
                if (!pgbenchOut.isBlank()) {
                    pgbenchOut.lines().filter(l -> l.contains("abort") || l.contains("ERROR") || l.contains("FATAL")).limit(6)
                            .forEach(l -> System.out.println("    pgbench: " + l));
                }
                System.out.println("    history: " + view.path("history").size() + " entries; acked router writes " + acked);
                // Where the freeze went: each step from its dispatch to its outcome, as the orchestrator saw it.
                StringBuilder steps = new StringBuilder("    steps:");
                for (JsonNode step : view.path("steps")) {
                    if (List.of("recheck", "catch-up", "freeze", "final-sync", "switch-over", "complete").contains(step.path("step").asText())) {
                        steps.append(' ').append(step.path("step").asText()).append(' ').append(step.path("startedAt").asText().replaceAll(".*T", ""))
                                .append(" +").append(step.path("durationMs").asText()).append(" ms;");
                    }
                }
                System.out.println(steps);
                for (JsonNode step : view.path("steps")) {
                    if (List.of("catch-up", "final-sync").contains(step.path("step").asText())) {
                        System.out.println("    " + step.path("step").asText() + ": " + step.path("detail").asText());
                    }
                }
                if (view.path("state").asText().equals("completed")) {
                    rollbacks.add(rollBack(http, api, id, scale, bytes, c, t, pgbench, rate, stack.routerUrl(), domain, requests));
                    System.out.println(rollbacks.get(rollbacks.size() - 1));
                }
            }
        }
        table("| pgbench scale | source database | outcome | freeze (router hold to release) | database fence | longest request stall"
                + " | failed HTTP requests | pgbench clients refused by the fence | pgbench invariants on the target | tables differing"
                + " source/target after | switch point proof |", rows);
        table("| pgbench scale | source database | outcome | rollback freeze (target's hold to release) | way back lag before"
                + " | longest request stall | failed HTTP requests | pgbench transactions committed on the target | of them on the source"
                + " | pgbench invariants on the source | rollback switch point proof |", rollbacks);
    }

    private static void table(String header, List<String> rows) {
        System.out.println();
        System.out.println(header);
        System.out.println("| --- ".repeat(header.split("\\|", -1).length - 2) + "|");
        rows.forEach(System.out::println);
    }

    /**
     * The target serves for 15 s with pgbench writing straight into it and the load driver through the router, then the
     * migration rolls back. What the target committed must be on the source: pgbench's history rows the source gained
     * against the transactions pgbench counted as committed.
     */
    private static String rollBack(Http http, String api, String id, int scale, long bytes, JsonNode source, JsonNode target,
                                   String pgbench, int rate, String router, String domain, int requests) throws Exception {
        long historyBefore = scale > 0 ? Long.parseLong(count(source, "select count(*) from pgbench_history")) : 0;
        Path pgbenchLog = Files.createTempFile("pgbench-target", ".log");
        Process writer = scale > 0 ? writer(pgbench, rate, pgEnv(target), pgbenchLog) : null;
        LoadDriver load = LoadDriver.start(router, domain, requests);
        Thread.sleep(15_000);
        JsonNode before = http.get(api + "/migrations/" + id).orThrow().body();
        long lag = figure(before, "complete", "reverseLagMillis");
        http.post(api + "/migrations/" + id + "/rollback", null).orThrow();
        JsonNode view = null;
        for (int i = 0; i < 1800 * 5; i++) {
            view = http.get(api + "/migrations/" + id).orThrow().body();
            String state = view.path("state").asText();
            if (!state.equals("rolling-back") && (!state.equals("rolled-back") || !proof(view, "rollback switch point verified").equals("pending"))) {
                break;
            }
            Thread.sleep(200);
        }
        Thread.sleep(2000);
        LoadDriver.Report traffic = load.stop();
        long committed = 0;
        if (writer != null) {
            // The target's fence ends pgbench's sessions, and pgbench then ends with its summary.
            if (!writer.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                writer.destroy();
                writer.waitFor();
            }
            Matcher m = Pattern.compile("number of transactions actually processed: (\\d+)").matcher(Files.readString(pgbenchLog));
            committed = m.find() ? Long.parseLong(m.group(1)) : -1;
        }
        long arrived = scale > 0 ? Long.parseLong(count(source, "select count(*) from pgbench_history")) - historyBefore : 0;
        String proof = proof(view, "rollback switch point verified");
        return String.format("| %d | %.0f MB | %s | %d ms | %d ms | %d ms | %d of %d | %d | %d | %s | %s |", scale, bytes / 1e6,
                view.path("state").asText(), figure(view, "rollback", "freezeMillis"), lag, traffic.maxMillis(), traffic.failed(),
                traffic.requests(), committed, arrived, scale > 0 ? invariants(source) : "-", proof);
    }

    /** pgbench's default transactions, 4 clients at {@code rate} per second, straight into the database {@code env} names. */
    private static Process writer(String pgbench, int rate, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(pgbench, "-n", "-c", "4", "-R", String.valueOf(rate), "-T", "3600", "-P", "5")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private static Map<String, String> pgEnv(JsonNode c) {
        return Map.of("PGHOST", c.path("host").asText(), "PGPORT", c.path("port").asText(), "PGUSER", c.path("user").asText(),
                "PGPASSWORD", c.path("password").asText(), "PGDATABASE", c.path("database").asText());
    }

    private static String count(JsonNode credentials, String query) throws SQLException {
        try (Connection c = connect(credentials)) {
            return one(c, query);
        }
    }

    /** Waits until the migration ends and, if it completed, until the switch point is proven (or refuted). */
    private static JsonNode awaitProof(Http http, String api, String id, int seconds) throws InterruptedException {
        JsonNode view = null;
        for (int i = 0; i < seconds * 5; i++) {
            view = http.get(api + "/migrations/" + id).orThrow().body();
            String state = view.path("state").asText();
            boolean ended = List.of("completed", "aborted", "failed", "preflight-failed").contains(state);
            if (ended && (!state.equals("completed") || !proof(view).equals("pending"))) {
                return view;
            }
            Thread.sleep(200);
        }
        return view;
    }

    private static String proof(JsonNode view) {
        return proof(view, "switch point verified");
    }

    /** What the history says of a switch point's proof: {@code verified} found, a refutation, or neither yet. */
    private static String proof(JsonNode view, String verified) {
        String history = view.path("history").toString();
        return history.contains(verified) ? "rows equal"
                : history.contains("differs from the source") || history.contains("could not be verified") ? "FAILED" : "pending";
    }

    private static long figure(JsonNode view, String step, String figure) {
        for (JsonNode s : view.path("steps")) {
            if (s.path("step").asText().equals(step)) {
                return s.path("figures").path(figure).asLong(-1);
            }
        }
        return -1;
    }

    /** pgbench's invariant: every balance moved is in the history. */
    private static String invariants(JsonNode credentials) throws SQLException {
        try (Connection c = connect(credentials); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select (select sum(abalance) from pgbench_accounts), (select sum(tbalance) from pgbench_tellers),
                       (select sum(bbalance) from pgbench_branches), (select coalesce(sum(delta), 0) from pgbench_history),
                       (select count(*) from pgbench_history)""")) {
            rs.next();
            boolean ok = rs.getLong(1) == rs.getLong(4) && rs.getLong(2) == rs.getLong(4) && rs.getLong(3) == rs.getLong(4);
            return (ok ? "hold" : "BROKEN") + " (" + rs.getLong(5) + " transactions)";
        }
    }

    /** Tables whose row count or content differ between the source and the target. */
    private static long differingTables(JsonNode source, JsonNode target) throws SQLException {
        long differing = 0;
        try (Connection s = connect(source); Connection t = connect(target)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.createStatement().executeQuery(
                    "select format('%I.%I', schemaname, tablename) from pg_tables where schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                // The router's traffic goes on writing on the target after the switch point: rows it added are not compared.
                String keyed = one(s, "select count(*) from information_schema.columns where table_schema = 'public' and column_name = 'id'"
                        + " and format('%I.%I', table_schema, table_name) = '" + table + "'");
                String bound = keyed.equals("1") ? " where id <= " + one(s, "select coalesce(max(id), 0) from " + table) : "";
                String q = "select count(*) || ':' || coalesce(sum(hashtextextended(x::text, 0)), 0) from " + table + " x" + bound;
                if (!one(s, q).equals(one(t, q))) {
                    System.out.println("    differs: " + table + " source " + one(s, q) + ", target " + one(t, q));
                    differing++;
                }
            }
        }
        return differing;
    }

    private static String one(Connection c, String q) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Connection connect(JsonNode c) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", c.path("user").asText());
        p.setProperty("password", c.path("password").asText());
        return DriverManager.getConnection("jdbc:postgresql://" + c.path("host").asText() + ":" + c.path("port").asInt() + "/"
                + c.path("database").asText(), p);
    }

    private static int count(String text, String word) {
        Matcher m = Pattern.compile(word).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static void run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().putAll(env);
        if (pb.start().waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
