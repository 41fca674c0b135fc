package dev.cutover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every command against a stand-in API: what it sends, what it prints, the exit code. */
class CommandsTest {

    static final String ID = "3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01";
    final FakeApi api = new FakeApi();
    final Map<String, String> env = Map.of("CUTOVER_API", api.url());

    @AfterEach
    void stop() {
        api.close();
    }

    static String view(String state) {
        ObjectNode m = RenderTest.view();
        m.put("state", state);
        return Json.write(m);
    }

    @Test
    void createSendsTheRequestAndPrintsTheIdAndTheNextCommand() {
        api.on("POST /migrations", 201, view("preflight"));

        Run run = Run.of(env, "create", "--env", "shop", "--to", "eu-2", "--strategy", "SNAPSHOT", "--auto-confirm",
                "--idempotency-key", "k-1");

        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().startsWith("Migration " + ID + " created.\n"), run.toString());
        assertTrue(run.out().contains("  state        preflight"), run.toString());
        assertTrue(run.out().endsWith("Next: cutover status " + ID + " --watch\n"), run.toString());
        FakeApi.Seen sent = api.seen.get(0);
        assertEquals(Json.parse("{\"environment\":\"shop\",\"targetServer\":\"eu-2\",\"strategy\":\"snapshot\",\"autoConfirm\":true}"),
                Json.parse(sent.body()));
        assertEquals(List.of("k-1"), sent.headers().get("Idempotency-key"));
    }

    @Test
    void aRepeatedKeySaysNothingNewStarted() {
        api.on("POST /migrations", 200, view("sync"));

        Run run = Run.of(env, "create", "-e", "shop", "-t", "eu-2", "--idempotency-key", "k-1");

        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("was already started with this idempotency key"), run.toString());
    }

    @Test
    void refusalsPrintTheServersDetail() {
        api.on("POST /migrations", 409, FakeApi.problem(409, "environment shop already has migration x running"));
        api.on("POST /migrations/" + ID + "/confirm", 409, FakeApi.problem(409, "migration is completed, not awaiting confirmation"));
        api.on("POST /migrations/" + ID + "/abort", 409, FakeApi.problem(409, "traffic already reached the target"));

        Run create = Run.of(env, "create", "--env", "shop", "--to", "eu-2");
        assertEquals(Exit.REFUSED, create.code(), create.toString());
        assertEquals("cutover create: refused: environment shop already has migration x running\n", create.err());
        assertEquals("", create.out());

        Run confirm = Run.of(env, "confirm", ID);
        assertEquals(Exit.REFUSED, confirm.code(), confirm.toString());
        assertEquals("cutover confirm: refused: migration is completed, not awaiting confirmation\n", confirm.err());

        assertEquals(Exit.REFUSED, Run.of(env, "abort", ID).code());
    }

    @Test
    void unknownMigrationIsNotFound() {
        api.on("GET /migrations/" + ID, 404, FakeApi.problem(404, "no migration " + ID));

        Run run = Run.of(env, "status", ID);

        assertEquals(Exit.NOT_FOUND, run.code(), run.toString());
        assertEquals("cutover status: not found: no migration " + ID + "\n", run.err());
    }

    @Test
    void serverErrorsAreUnexpected() {
        api.on("GET /migrations", 500, FakeApi.problem(500, "boom"));

        Run run = Run.of(env, "list");

        assertEquals(Exit.ERROR, run.code(), run.toString());
        assertEquals("cutover list: the server failed (HTTP 500): boom\n", run.err());
    }

    @Test
    void unreachableServer() {
        Run run = Run.of(Map.of(), "list", "--api", "http://127.0.0.1:1");

        assertEquals(Exit.UNREACHABLE, run.code(), run.toString());
        assertEquals("cutover list: cannot reach the Cutover API at http://127.0.0.1:1: connection refused\n", run.err());
    }

    @Test
    void confirmAndAbortSayWhatHappensAndWhatToRunNext() {
        api.on("POST /migrations/" + ID + "/confirm", 200, view("switch-over"));
        api.on("POST /migrations/" + ID + "/abort", 202, view("aborting"));

        Run confirm = Run.of(env, "confirm", ID);
        assertEquals(0, confirm.code(), confirm.toString());
        assertEquals("Confirmed migration " + ID + ": the switch-over of shop to shop-eu-2 on eu-2 goes ahead (state: switch-over).\n"
                + "Next: cutover status " + ID + " --watch\n", confirm.out());

        Run abort = Run.of(env, "abort", ID);
        assertEquals(0, abort.code(), abort.toString());
        assertTrue(abort.out().startsWith("Abort requested for migration " + ID + " (state: aborting)"), abort.toString());
        assertTrue(abort.out().endsWith("Next: cutover status " + ID + " --watch\n"), abort.toString());
    }

    @Test
    void rollbackOnAServerWithoutItSaysSo() {
        api.on("POST /migrations/" + ID + "/rollback", 404, FakeApi.problem(404, "Unable to find matching target resource method"));
        api.on("GET /migrations/" + ID, 200, view("completed"));

        Run run = Run.of(env, "rollback", ID);

        assertEquals(Exit.REFUSED, run.code(), run.toString());
        assertTrue(run.err().startsWith("cutover rollback: this server does not support rollback yet"), run.toString());
    }

    @Test
    void rollbackOfAnUnknownMigrationIsNotFound() {
        api.on("POST /migrations/" + ID + "/rollback", 404, FakeApi.problem(404, "Unable to find matching target resource method"));
        api.on("GET /migrations/" + ID, 404, FakeApi.problem(404, "no migration " + ID));

        Run run = Run.of(env, "rollback", ID);

        assertEquals(Exit.NOT_FOUND, run.code(), run.toString());
        assertEquals("cutover rollback: not found: no migration " + ID + "\n", run.err());
    }

    @Test
    void rollbackWhenTheServerHasIt() {
        api.on("POST /migrations/" + ID + "/rollback", 202, view("rolling-back"));

        Run run = Run.of(env, "rollback", ID);

        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().endsWith("Next: cutover status " + ID + " --watch\n"), run.toString());
    }

    @Test
    void finalizeRemovesTheSourceAndARefusalSaysWhy() {
        api.on("POST /migrations/" + ID + "/finalize", 202, view("finalizing"));
        api.on("POST /migrations/" + ID + "/finalize", 409, FakeApi.problem(409, "migration is sync: only a completed migration is finalized"));
        Run run = Run.of(env, "finalize", ID);
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("can no longer be rolled back (state: finalizing)"), run.toString());
        Run refused = Run.of(env, "finalize", ID);
        assertEquals(Exit.REFUSED, refused.code(), refused.toString());
        assertTrue(refused.err().contains("only a completed migration is finalized"), refused.toString());
    }

    @Test
    void createOneWaySaysSoAndSendsIt() {
        api.on("POST /migrations", 201, view("preflight"));
        Run run = Run.of(env, "create", "--env", "shop", "--to", "eu-2", "--one-way");
        assertEquals(0, run.code(), run.toString());
        String sent = api.seen.get(api.seen.size() - 1).body();
        assertTrue(sent.contains("\"oneWay\":true"), sent);
    }

    @Test
    void planOnAServerWithoutItSaysSo() {
        Run run = Run.of(env, "plan", "--env", "shop", "--to", "eu-2");

        assertEquals(Exit.REFUSED, run.code(), run.toString());
        assertTrue(run.err().startsWith("cutover plan: this server does not support plan yet (POST /plans answered HTTP 404)"), run.err());
        assertTrue(run.err().contains("cutover create --env shop --to eu-2"), run.err());
    }

    @Test
    void planExitsByItsVerdict() {
        String planned = """
                {"environment":"shop","targetServer":"eu-2","targetEnvironment":"shop-eu-2","strategy":"live","state":"planned",
                 "checks":[{"id":"target-online","severity":"blocker","outcome":"pass","reason":"eu-2 is online"}],
                 "steps":["preflight","prepare"]}""";
        api.on("POST /plans", 200, planned, planned.replace("\"planned\"", "\"refused\"").replace("\"pass\"", "\"fail\""));

        Run ok = Run.of(env, "plan", "--env", "shop", "--to", "eu-2", "--new-name", "shop two");
        assertEquals(0, ok.code(), ok.toString());
        assertTrue(ok.out().endsWith("Next: cutover create --env shop --to eu-2 --new-name 'shop two'\n"), ok.toString());
        assertEquals(Json.parse("{\"environment\":\"shop\",\"targetServer\":\"eu-2\",\"newName\":\"shop two\"}"),
                Json.parse(api.seen.get(0).body()));

        Run refused = Run.of(env, "plan", "--env", "shop", "--to", "eu-2");
        assertEquals(Exit.REFUSED, refused.code(), refused.toString());
        assertTrue(refused.out().contains("✘ target-online  eu-2 is online"), refused.toString());
    }

    @Test
    void listPassesTheFiltersAndPrintsATable() {
        api.on("GET /migrations?environment=shop&state=awaiting-confirmation", 200, "[" + view("awaiting-confirmation") + "]");

        Run run = Run.of(env, "list", "--env", "shop", "--state", "awaiting-confirmation");

        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().startsWith("ID "), run.toString());
        assertTrue(run.out().contains(ID + "  shop "), run.toString());
    }

    @Test
    void jsonOutputIsTheServersAnswerAsIs() {
        String body = view("sync");
        api.on("GET /migrations/" + ID, 200, body);

        Run run = Run.of(env, "status", ID, "--output", "json");

        assertEquals(0, run.code(), run.toString());
        assertEquals(body + "\n", run.out());
        assertEquals("", run.err());
    }

    @Test
    void statusOfAFailedMigrationExitsFailed() {
        api.on("GET /migrations/" + ID, 200, view("failed"));

        Run run = Run.of(env, "status", ID);

        assertEquals(Exit.FAILED, run.code(), run.toString());
        assertTrue(run.out().contains("✘ Migration " + ID + " failed"), run.toString());
    }

    @Test
    void watchPrintsPlainLinesUntilConfirmationIsAwaited() {
        ObjectNode verifying = RenderTest.view();
        verifying.put("state", "verify");
        ((ObjectNode) verifying.path("steps").get(2)).put("status", "completed").put("durationMs", 1200);
        ((ObjectNode) verifying.path("steps").get(3)).put("status", "running");
        api.on("GET /migrations/" + ID, 200, view("sync"), view("sync"), Json.write(verifying), view("awaiting-confirmation"));

        Run run = Run.of(env, "status", ID, "--watch");

        assertEquals(0, run.code(), run.toString());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\[ *\\d+\\.\\ds] state sync")), run.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\[ *\\d+\\.\\ds] sync completed in 1.2 s: .*")), run.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\[ *\\d+\\.\\ds] state awaiting-confirmation")), run.toString());
        assertEquals(1, lines.stream().filter(l -> l.endsWith("state sync")).count(), "an unchanged poll prints nothing");
        assertEquals("Next: cutover confirm " + ID + "   (or: cutover abort " + ID + ")", lines.get(lines.size() - 1));
        assertFalse(run.out().contains("\033["), "no terminal control codes when not a terminal");
    }

    @Test
    void watchExitsFailedWhenTheMigrationFails() {
        ObjectNode failed = RenderTest.view();
        failed.put("state", "aborted").put("reason", "aborted by api");
        api.on("GET /migrations/" + ID, 200, view("sync"), Json.write(failed));

        Run run = Run.of(env, "status", ID, "--watch");

        assertEquals(Exit.FAILED, run.code(), run.toString());
        assertTrue(run.out().contains("state aborted: aborted by api"), run.toString());
    }

    @Test
    void watchWithJsonPrintsOnlyTheFinalAnswer() {
        api.on("GET /migrations/" + ID, 200, view("sync"), view("completed"));

        Run run = Run.of(env, "status", ID, "--watch", "-o", "json");

        assertEquals(0, run.code(), run.toString());
        JsonNode printed = Json.parse(run.out());
        assertEquals("completed", printed.path("state").asText());
    }

    @Test
    void watchInATerminalRedrawsInPlace() {
        api.on("GET /migrations/" + ID, 200, view("sync"), view("sync"), view("completed"));

        Run run = Run.of(env, true, "status", ID, "--watch");

        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("\033[11F\033[J"), "moves up over the last screen and clears it: " + run);
        assertTrue(run.out().contains("[██████"), run.toString());
        assertTrue(run.out().contains("✔ Migration " + ID + " completed"), run.toString());
    }
}
