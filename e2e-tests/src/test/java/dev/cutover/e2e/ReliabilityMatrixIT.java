package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.contracts.Topics;
import dev.cutover.stack.LoadDriver;
import dev.cutover.stack.LocalStack.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The reliability matrix (docs/reliability.md): a live migration under load (HTTP through the router, a writer straight
 * into the database) while one service is killed with {@code kill -9} at one moment and started again, as the run
 * command's supervisor would, or the broker, the services' PostgreSQL or the source's database server is restarted; each cell records whether it finished, the time lost against an undisturbed run, failed
 * requests, lost writes, effects done twice and what was left behind. CI runs one crash per service and the three
 * restarts; {@code -Dcutover.matrix=full} (bench/reliability.sh) runs every service at every moment, {@code infra} the
 * restarts only, {@code traffic-service@final-sync,edge-router@sync} the cells named; the table goes to
 * e2e-tests/target/reliability.md.
 */
class ReliabilityMatrixIT {

    /** When the kill comes: a step the orchestrator dispatched, the wait for confirmation, or an abort's compensations. */
    enum Moment {
        PREPARE("prepare"), SYNC("sync"), AWAITING_CONFIRMATION(null), FREEZE("freeze"), FINAL_SYNC("final-sync"),
        SWITCH_OVER("switch-over"), COMPLETE("complete"), ABORT(null);

        final String step;

        Moment(String step) {
            this.step = step;
        }

        String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** What is crashed: a service (killed with kill -9 and started again), the broker or a PostgreSQL server (restarted). */
    record Target(String name, Crash crash, Crash afterwards) {
        static Target service(Service s) {
            return new Target(s.module(), () -> Stack.get().crashAndRestart(s), null);
        }

        /** One of two instances killed and not started again, as when its machine is lost: the other must go on alone. */
        static Target lost(Service s) {
            return new Target(s.module() + " (1 of 2, not restarted)", () -> Stack.get().kill(s, 1), () -> Stack.get().restart(s, 1));
        }

        static Target broker() {
            return new Target("kafka broker", () -> Stack.get().restartKafka(), null);
        }

        static Target postgres(String server) {
            return new Target("postgresql " + server, () -> Stack.get().restartPostgres(server), null);
        }
    }

    interface Crash {
        void run() throws Exception;
    }

    /** One cell's outcome. */
    record Cell(Target killed, Moment at, String state, long millis, long lostMillis, long failedRequests, long lostWrites,
                List<String> doubled, List<String> leftBehind, String reason) {

        /**
         * Finished, nothing lost, doubled or left behind; and no request failed, unless what was restarted serves them
         * itself (the edge router: the requests on its connections die with it; the source's database server: the app
         * answers errors meanwhile): the traffic plane does not go down with the control plane.
         */
        boolean passed() {
            String expected = at == Moment.ABORT ? "aborted" : "completed";
            boolean servesRequests = killed != null && (killed.name().equals(Service.EDGE_ROUTER.module())
                    || killed.name().equals("postgresql eu-1"));
            return state.equals(expected) && lostWrites == 0 && doubled.isEmpty() && leftBehind.isEmpty()
                    && (failedRequests == 0 || servesRequests);
        }

        String row() {
            return "| " + (killed == null ? "none" : killed.name()) + " | " + at.label() + " | " + state + " | " + millis + " | "
                    + (killed == null ? "" : lostMillis) + " | " + failedRequests + " | " + lostWrites + " | "
                    + (doubled.isEmpty() ? "0" : String.join("; ", doubled)) + " | " + (leftBehind.isEmpty() ? "0" : String.join("; ", leftBehind))
                    + " |" + (passed() ? "" : " ✘ " + (reason == null ? "" : reason.replace('|', '/')));
        }
    }

    @Test
    void aServiceKilledAtAnyStepLeavesTheMigrationFinishingWithNothingLostDoubledOrLeftBehind() throws Exception {
        Stack.get();
        String which = System.getProperty("cutover.matrix", "ci");
        List<Object[]> plan = new ArrayList<>();
        if (which.equals("full")) {
            for (Service s : Service.values()) {
                for (Moment m : Moment.values()) {
                    plan.add(new Object[] {Target.service(s), m});
                }
            }
            for (Moment m : Moment.values()) {
                plan.add(new Object[] {Target.lost(Service.ORCHESTRATOR), m});
            }
        } else if (which.contains("@")) {
            // Chosen cells: service@moment,... (module names and moment labels, as in the table).
            for (String cell : which.split(",")) {
                String[] part = cell.strip().split("@");
                Service s = java.util.Arrays.stream(Service.values()).filter(v -> v.module().equals(part[0])).findFirst().orElseThrow(
                        () -> new IllegalArgumentException("no service " + part[0]));
                Moment m = java.util.Arrays.stream(Moment.values()).filter(v -> v.label().equals(part[1])).findFirst().orElseThrow(
                        () -> new IllegalArgumentException("no moment " + part[1]));
                plan.add(new Object[] {Target.service(s), m});
            }
        } else if (which.equals("ci")) {
            // One crash per service, each where that service has work in flight; the traffic service inside the freeze,
            // whose end waits for it to start again (the router's hold bound covers that; the full matrix has every moment).
            plan.add(new Object[] {Target.service(Service.PROVISIONING), Moment.PREPARE});
            plan.add(new Object[] {Target.service(Service.LOCAL_PLATFORM), Moment.SYNC});
            plan.add(new Object[] {Target.service(Service.TRAFFIC), Moment.FINAL_SYNC});
            plan.add(new Object[] {Target.service(Service.EDGE_ROUTER), Moment.AWAITING_CONFIRMATION});
            plan.add(new Object[] {Target.service(Service.ORCHESTRATOR), Moment.COMPLETE});
            plan.add(new Object[] {Target.service(Service.DATA_SYNC), Moment.ABORT});
            plan.add(new Object[] {Target.lost(Service.ORCHESTRATOR), Moment.SYNC});
        }
        // The broker and the services' PostgreSQL restarted during the sync; the source's database server too, in the
        // full matrix only (the sync fails and is compensated: docs/reliability.md).
        if (!which.contains("@")) {
            plan.add(new Object[] {Target.broker(), Moment.SYNC});
            plan.add(new Object[] {Target.postgres("control"), Moment.SYNC});
        }
        if (which.equals("full") || which.equals("infra")) {
            plan.add(new Object[] {Target.postgres("eu-1"), Moment.SYNC});
        }
        Cell baseline = run(null, Moment.COMPLETE, 0);
        List<Cell> cells = new ArrayList<>();
        cells.add(baseline);
        int n = 0;
        for (Object[] p : plan) {
            Cell c = run((Target) p[0], (Moment) p[1], ++n);
            c = new Cell(c.killed(), c.at(), c.state(), c.millis(), Math.max(0, c.millis() - baseline.millis()), c.failedRequests(),
                    c.lostWrites(), c.doubled(), c.leftBehind(), c.reason());
            cells.add(c);
            System.out.println("[matrix] " + c.row());
        }
        StringBuilder table = new StringBuilder("| killed | at | finished | ms | time lost, ms | failed requests | lost writes | done twice | left behind |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        cells.forEach(c -> table.append(c.row()).append('\n'));
        Path out = Path.of("target", "reliability.md");
        Files.writeString(out, table.toString());
        System.out.println("[matrix]\n" + table);
        assertEquals(List.of(), cells.stream().filter(c -> !c.passed()).map(Cell::row).toList(), "cells that did not finish clean");
    }

    /** One cell: a fresh environment, a live migration under load, {@code killed} killed at {@code at} (none: baseline). */
    private static Cell run(Target killed, Moment at, int index) throws Exception {
        String env = "rm" + index + "-" + at.label();
        String domain = env + ".example.com";
        Stack.environment(env, domain);
        try (Connection c = Stack.connect(env, "main"); Statement s = c.createStatement()) {
            s.execute(DirectWriter.CREATE);
        }
        LoadDriver load = LoadDriver.start(Stack.get().routerUrl(), domain, 20);
        DirectWriter writer = new DirectWriter(env, "main", 1);
        writer.start();
        Stack.sleep(300);
        boolean confirmByHand = at == Moment.AWAITING_CONFIRMATION || at == Moment.ABORT;
        long started = System.nanoTime();
        String id = Stack.start(env, Map.of("strategy", "live", "autoConfirm", !confirmByHand));
        AtomicReference<String> killError = new AtomicReference<>();
        if (killed != null && at.step != null) {
            // The kill comes as soon as the orchestrator has dispatched the step (seen on the progress topic).
            Thread killer = new Thread(() -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (System.nanoTime() < deadline) {
                    if (dispatched(id, at.step)) {
                        try {
                            killed.crash().run();
                        } catch (Exception e) {
                            killError.set(e.toString());
                        }
                        return;
                    }
                    Stack.sleep(10);
                }
                killError.set("step " + at.step + " was never dispatched");
            }, "killer");
            killer.setDaemon(true);
            killer.start();
        }
        if (confirmByHand) {
            await(id, s -> s.equals("awaiting-confirmation") || Stack.TERMINAL.contains(s), Duration.ofSeconds(120));
            if (at == Moment.AWAITING_CONFIRMATION) {
                if (killed != null) {
                    killed.crash().run();
                }
                Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/confirm", null);
            } else {
                Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/abort", null);
                if (killed != null) {
                    killed.crash().run();
                }
            }
        }
        JsonNode done = await(id, s -> Stack.TERMINAL.contains(s) || s.equals("needs-attention"), Duration.ofSeconds(150));
        long millis = (System.nanoTime() - started) / 1_000_000;
        Stack.sleep(500);
        writer.finish();
        LoadDriver.Report traffic = load.stop();
        String state = done.path("state").asText();
        boolean completed = state.equals("completed");
        String holder = completed ? env + "-eu-2" : env;
        long lost = writer.acked.size() - DirectWriter.count(holder, "main", 1, writer.acked);
        lost += traffic.ackedWrites().size() - Stack.customersAmong(holder, traffic.ackedWrites());
        List<String> doubled = new ArrayList<>();
        List<String> leftBehind = new ArrayList<>();
        long targets = Stack.HTTP.get(Stack.platform() + "/environments").orThrow().body().findValuesAsText("name").stream()
                .filter(name -> name.startsWith(env + "-")).count();
        if (targets > (completed ? 1 : 0)) {
            (completed ? doubled : leftBehind).add(targets + " target environments");
        }
        if (completed && count(env, "select count(*) from direct_write") != count(env + "-eu-2", "select count(*) from direct_write")) {
            doubled.add("direct_write differs between source and target");
        }
        // The forward replication is removed by data-sync's next round (every 2 s), the way back kept: give it some rounds.
        List<String> replication = replicationLeft(id, completed);
        for (long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos(); !replication.isEmpty() && System.nanoTime() < deadline; ) {
            Stack.sleep(500);
            replication = replicationLeft(id, completed);
        }
        leftBehind.addAll(replication);
        String reason = killError.get() != null ? killError.get() : done.path("reason").asText(null);
        clean(env, id, completed);
        if (killed != null && killed.afterwards() != null) {
            killed.afterwards().run();
        }
        return new Cell(killed, at, state, millis, 0, traffic.failed(), lost, doubled, leftBehind, reason);
    }

    /** Makes room for the next cell (a server takes 30 environments): the move finalized, its environments removed. */
    private static void clean(String env, String id, boolean completed) {
        if (completed) {
            Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/finalize", null);
            await(id, s -> s.equals("finalized") || s.equals("needs-attention"), Duration.ofSeconds(60));
        }
        for (String name : List.of(env + "-eu-2", env)) {
            Stack.HTTP.send("PATCH", Stack.platform() + "/environments/" + name + "/flags", Map.of("protected", false), Map.of());
            Stack.HTTP.send("DELETE", Stack.platform() + "/environments/" + name, null, Map.of());
        }
    }

    /** What of the migration's replication is on either server: for a completed two-way move, beyond its way back. */
    private static List<String> replicationLeft(String id, boolean completed) throws SQLException {
        String hex = id.replace("-", "");
        List<String> left = new ArrayList<>();
        for (String server : List.of("eu-1", "eu-2")) {
            try (Connection c = Stack.get().server(server).connect("postgres"); Statement s = c.createStatement()) {
                left.addAll(names(s, "select 'slot ' || slot_name from pg_replication_slots where slot_name like '%" + hex + "%'"
                        + (completed ? " and slot_name not like 'cutover_back_%'" : "")));
                left.addAll(names(s, "select 'subscription ' || subname from pg_subscription where subname like '%" + hex + "%'"
                        + (completed ? " and subname not like 'cutover_back_%'" : "")));
            }
        }
        return left;
    }

    /** Waits for the state, asking again while the orchestrator restarts; the last view if it never comes. */
    private static JsonNode await(String id, java.util.function.Predicate<String> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode view = null;
        while (System.nanoTime() < deadline) {
            try {
                view = Stack.migration(id);
                if (done.test(view.path("state").asText())) {
                    return view;
                }
            } catch (IllegalStateException restarting) {
                // the orchestrator is not listening yet
            }
            Stack.sleep(200);
        }
        return view == null ? Stack.migration(id) : view;
    }

    private static boolean dispatched(String id, String step) {
        return Stack.recorder().about(id).stream().anyMatch(s -> s.topic().equals(Topics.MIGRATION_PROGRESS) && s.event() != null
                && s.event().type().equals("dev.cutover.migration.step-progressed.v1")
                && s.event().data().path("step").asText().equals(step)
                && Set.of("dispatched", "running").contains(s.event().data().path("status").asText()));
    }

    private static long count(String environment, String sql) throws SQLException {
        try (Connection c = Stack.connect(environment, "main"); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static List<String> names(Statement s, String sql) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        }
        return names;
    }
}
