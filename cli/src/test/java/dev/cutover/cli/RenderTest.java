package dev.cutover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a migration view reads, from a sample of the API's JSON. */
class RenderTest {

    static String sample() {
        try (InputStream in = RenderTest.class.getResourceAsStream("/migration-sync.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode view() {
        return (ObjectNode) Json.parse(sample());
    }

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:05Z");

    @Test
    void statusShowsStateStepsChecksAndTheNextCommand() {
        String text = String.join("\n", Render.status(view(), NOW));

        assertTrue(text.startsWith("Migration 3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01\n"), text);
        assertTrue(text.contains("  environment  shop → eu-2 (as shop-eu-2)"), text);
        assertTrue(text.contains("  state        sync (current step: sync)"), text);
        assertTrue(text.contains("  started      2026-11-21 10:00:00, 0:05 ago"), text);
        assertTrue(text.contains("✔ preflight    completed    300 ms   6 checks passed"), text);
        assertTrue(text.contains("✔ prepare      completed    2.5 s    shop-eu-2 created on eu-2 with release v3"), text);
        assertTrue(text.contains("▶ sync         running      1.9 s    main.orders: 2500 rows copied "
                + "[3,500 rows · 1.2 MB · lag 4.0 KB / 120 ms]"), text);
        assertTrue(text.contains("· verify       pending"), text);
        assertTrue(text.contains("✔ environment-exists  environment shop exists on eu-1"), text);
        assertTrue(text.contains("⚠ source-running      shop is not running"), text);
        assertTrue(text.endsWith("Next: cutover status 3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01 --watch"
                + "   (or: cutover abort 3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01)"), text);
    }

    @Test
    void aSwitchedMigrationsStatusBreaksItsFreezeDown() {
        ObjectNode m = view();
        assertEquals(List.of(), Render.freeze(m), "nothing before the switch-over");
        for (JsonNode s : m.withArray("steps")) {
            ObjectNode step = (ObjectNode) s;
            switch (step.path("step").asText()) {
                case "freeze" -> step.put("durationMs", 77);
                case "final-sync" -> {
                    step.put("durationMs", 129);
                    step.putObject("figures").put("fenceMillis", 46);
                }
                case "switch-over" -> {
                    step.put("durationMs", 115);
                    step.putObject("figures").put("freezeMillis", 242).put("heldRequests", 12);
                }
                default -> { }
            }
        }
        assertEquals(List.of("Switch-over: writes held 242 ms, 12 requests queued meanwhile",
                "  freeze       77 ms", "  final-sync   129 ms (the write fence 46 ms)", "  switch-over  115 ms"),
                Render.freeze(m));
        assertTrue(String.join("\n", Render.status(m, NOW)).contains("\nSwitch-over: writes held 242 ms"), "in cutover status");
    }

    @Test
    void eachEndTellsWhatHappenedAndWhatToRunNext() {
        ObjectNode m = view();
        m.put("state", "awaiting-confirmation");
        assertEquals(List.of("The target shop-eu-2 on eu-2 is ready and verified; traffic still goes to shop.",
                "Next: cutover confirm 3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01   (or: cutover abort 3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01)"),
                Render.outcome(m));

        m.put("state", "completed");
        ((ObjectNode) m.path("steps").get(6).path("figures")).put("freezeMillis", 420);
        assertEquals("✔ Migration 3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01 completed: shop now runs on eu-2 as shop-eu-2 "
                + "(writes were frozen for 420 ms).", Render.outcome(m).get(0));
        assertEquals("To move it back: cutover rollback 3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01", Render.outcome(m).get(2));

        m.put("state", "rolled-back");
        assertEquals(List.of("↩ Migration 3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01 rolled back: shop serves the traffic again.",
                "Nothing left to do. To try again later: cutover create --env shop --to eu-2 --strategy snapshot"), Render.outcome(m));

        m.put("state", "preflight-failed");
        m.put("reason", "a blocking check failed");
        ((ObjectNode) m.path("preflight").get(1)).put("outcome", "fail").put("reason", "eu-2 has no room");
        assertEquals(List.of("✘ Migration 3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01 preflight-failed: a blocking check failed",
                "  ✘ target-room: eu-2 has no room",
                "Next, once the cause is fixed: cutover create --env shop --to eu-2 --strategy snapshot"), Render.outcome(m));
    }

    @Test
    void theLiveScreenHasAProgressLinePerStepAndABarForTheCopy() {
        List<String> screen = Render.screen(view(), NOW, 0);

        assertEquals("Migration 3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01  shop → eu-2 (as shop-eu-2), snapshot", screen.get(0));
        assertEquals("state sync · elapsed 0:05", screen.get(1));
        String sync = screen.stream().filter(l -> l.contains("sync ") && l.contains("running")).findFirst().orElseThrow();
        assertTrue(sync.contains("[██████░░░░░░░░░░░░░░░░░░] 3,500 rows · 1.2 MB · lag 4.0 KB / 120 ms"), sync);
        assertTrue(screen.contains(" ".repeat(38) + "main.orders: 2500 rows copied"), String.join("\n", screen));
        assertEquals(2 + 8 + 1, screen.size(), "title, state, 8 steps and the running copy's detail");
    }

    @Test
    void theBarFillsAgainstATotalWhenTheFiguresHaveOne() {
        ObjectNode step = (ObjectNode) view().path("steps").get(2);
        ((ObjectNode) step.path("figures")).put("rowsTotal", 7000);
        assertEquals("[████████████░░░░░░░░░░░░]  50%", Render.bar(step, 0));
        step.put("status", "completed");
        assertEquals("[████████████████████████] 100%", Render.bar(step, 0));
    }

    @Test
    void withoutATotalARunningCopySweeps() {
        JsonNode step = view().path("steps").get(2);
        String first = Render.bar(step, 0);
        String later = Render.bar(step, 5);
        assertEquals(26, first.length());
        assertTrue(!first.equals(later), first + " then " + later);
    }

    @Test
    void plainProgressPrintsOneLinePerChange() {
        PlainProgress plain = new PlainProgress();
        ObjectNode m = view();

        List<String> first = plain.next(m, Duration.ofMillis(100));
        assertEquals(List.of(
                "[   0.1s] preflight completed in 300 ms: 6 checks passed",
                "[   0.1s] prepare completed in 2.5 s: shop-eu-2 created on eu-2 with release v3",
                "[   0.1s] sync running: main.orders: 2500 rows copied (3,500 rows · 1.2 MB · lag 4.0 KB / 120 ms)",
                "[   0.1s] state sync"), first);
        assertEquals(List.of(), plain.next(m, Duration.ofMillis(400)), "nothing changed, nothing printed");

        ObjectNode sync = (ObjectNode) m.path("steps").get(2);
        sync.put("status", "completed").put("durationMs", 1500).put("detail", "2 tables, 6000 rows");
        ((ObjectNode) m.path("steps").get(3)).put("status", "running");
        m.put("state", "verify");
        assertEquals(List.of(
                "[   0.7s] sync completed in 1.5 s: 2 tables, 6000 rows (3,500 rows · 1.2 MB · lag 4.0 KB / 120 ms)",
                "[   0.7s] verify running",
                "[   0.7s] state verify"), plain.next(m, Duration.ofMillis(700)));

        m.put("state", "failed").put("reason", "verification failed: tables differ");
        assertEquals(List.of("[   1.0s] state failed: verification failed: tables differ"), plain.next(m, Duration.ofMillis(1000)));
    }

    @Test
    void listIsATable() {
        JsonNode list = Json.parse("[" + sample() + "]");
        List<String> lines = Render.list(list);

        assertEquals("ID                                    ENVIRONMENT  TARGET            STRATEGY  STATE  STEP  STARTED", lines.get(0));
        assertEquals("3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01  shop         eu-2 (shop-eu-2)  snapshot  sync   sync  2026-11-21 10:00:00",
                lines.get(1));
        assertEquals("No migrations.", Render.list(Json.parse("[]")).get(0));
    }

    @Test
    void planShowsEveryCheckTheStepsAndTheCreateLine() {
        JsonNode plan = Json.parse("""
                {"environment":"shop","targetServer":"eu-2","targetEnvironment":"shop-eu-2","strategy":"snapshot","state":"planned",
                 "checks":[{"id":"target-online","severity":"blocker","outcome":"pass","reason":"eu-2 is online"},
                           {"id":"strategy","severity":"warning","outcome":"warning","reason":"manual: no data is copied"}],
                 "steps":["preflight","prepare","sync","verify","awaiting-confirmation","switch-over","complete"]}""");
        List<String> lines = Render.plan(plan, "cutover create --env shop --to eu-2 --strategy snapshot");

        assertEquals(List.of("Plan: move shop to eu-2 as shop-eu-2 (snapshot)",
                "Switch-over: once confirmed (cutover confirm)",
                "Checks",
                "  ✔ target-online  eu-2 is online",
                "  ⚠ strategy       manual: no data is copied",
                "Steps that would run: preflight → prepare → sync → verify → awaiting-confirmation → switch-over → complete",
                "✔ Planned; nothing was changed.",
                "Next: cutover create --env shop --to eu-2 --strategy snapshot"), lines);

        ObjectNode windowed = plan.deepCopy();
        windowed.put("switchOverAt", "2026-12-24T22:00:00Z").put("switchOverUntil", "2026-12-24T23:30:00Z");
        assertEquals("Switch-over window: from 2026-12-24 22:00:00 until 2026-12-24 23:30:00, confirmed by itself then",
                Render.plan(windowed, "cutover create --env shop --to eu-2").get(1));

        ObjectNode refused = (ObjectNode) plan;
        refused.put("state", "refused");
        ((ObjectNode) refused.path("checks").get(0)).put("outcome", "fail").put("reason", "eu-2 is offline");
        List<String> no = Render.plan(refused, "cutover create --env shop --to eu-2");
        assertTrue(no.contains("  ✘ target-online  eu-2 is offline"), String.join("\n", no));
        assertTrue(no.contains("✘ Refused: 1 check fails; nothing was changed."), String.join("\n", no));
        assertEquals("Next, once that is fixed: cutover plan --env shop --to eu-2", no.get(no.size() - 1));
    }

    @Test
    void figuresNameRedisKeysBesideRows() {
        assertEquals("3 tables · 6,000 rows · 1,200 Redis keys · 1.2 MB · 300 ms",
                Render.figures(Json.parse("{\"tables\":3,\"rows\":6000,\"keys\":1200,\"bytes\":1258291,\"millis\":300}")));
        assertEquals("3 tables · 6,000 rows", Render.figures(Json.parse("{\"tables\":3,\"rows\":6000,\"keys\":0}")),
                "no Redis, no keys figure");
    }

    @Test
    void smallFormats() {
        assertEquals("1.2 MB", Render.bytes(1258291));
        assertEquals("512 B", Render.bytes(512));
        assertEquals("1:02:03", Render.clock(Duration.ofSeconds(3723)));
        assertEquals("2m 05s", Render.seconds(Duration.ofSeconds(125)));
        assertEquals("'it''s'".replace("''", "'\\''"), Shell.quote("it's"));
        assertEquals("shop-eu-2", Shell.quote("shop-eu-2"));
        assertEquals("abcdefgh…", Render.fit("abcdefghijklmnop", 10));
    }
}
