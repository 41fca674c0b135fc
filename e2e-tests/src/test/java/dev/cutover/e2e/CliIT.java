package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.cli.Cutover;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The CLI, run in-process as a user would run it, against the whole running stack: outputs and exit codes. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class CliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID_PATTERN = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /**
     * {@code cutover args...} with CUTOVER_API pointing at the stack's orchestrator and the token it issued to the demo
     * tenant's operator in CUTOVER_TOKEN; output is not a terminal.
     */
    private static Run cutover(String... args) {
        return run(Map.of("CUTOVER_API", Stack.api(), "CUTOVER_TOKEN", Stack.get().userToken()), args);
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cutover.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        Run run = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println("[cli] cutover " + String.join(" ", args) + "\n" + run);
        return run;
    }

    @Test
    void aMigrationFromCreateToCompletedThroughTheCli() throws Exception {
        Stack.environment("cli-demo", "cli-demo.example.com");

        // plan: every check, the steps, and the create line to run; nothing is created.
        Run plan = cutover("plan", "--env", "cli-demo", "--to", "eu-2", "--strategy", "snapshot");
        assertEquals(0, plan.code(), plan.toString());
        assertTrue(plan.out().startsWith("Plan: move cli-demo to eu-2 as cli-demo-eu-2 (snapshot)\n"), plan.toString());
        assertTrue(plan.out().lines().anyMatch(l -> l.matches("  ✔ environment-exists +environment cli-demo exists.*")), plan.toString());
        assertTrue(plan.out().contains("Steps that would run: preflight → prepare → sync → verify"), plan.toString());
        assertTrue(plan.out().endsWith("Next: cutover create --env cli-demo --to eu-2 --strategy snapshot\n"), plan.toString());
        assertTrue(cutover("list", "--env", "cli-demo").out().startsWith("No migrations."), "a plan creates no migration");

        // create: the id and the next command.
        Run create = cutover("create", "--env", "cli-demo", "--to", "eu-2", "--strategy", "snapshot");
        assertEquals(0, create.code(), create.toString());
        Matcher m = Pattern.compile("^Migration (" + UUID_PATTERN + ") created\\.$", Pattern.MULTILINE).matcher(create.out());
        assertTrue(m.find(), create.toString());
        String id = m.group(1);
        assertTrue(create.out().contains("  environment  cli-demo → eu-2 (as cli-demo-eu-2)"), create.toString());
        assertTrue(create.out().contains("Next: cutover status " + id + " --watch"), create.toString());

        // Another tenant's operator finds no such migration, and cannot confirm it.
        String globex = Stack.get().tokens().mint("gus", "globex", java.time.Duration.ofMinutes(10), "operator");
        Run foreign = run(Map.of("CUTOVER_API", Stack.api(), "CUTOVER_TOKEN", globex), "status", id);
        assertEquals(5, foreign.code(), foreign.toString());
        assertTrue(foreign.err().contains("no migration " + id), foreign.toString());
        assertEquals(5, run(Map.of("CUTOVER_API", Stack.api(), "CUTOVER_TOKEN", globex), "confirm", id).code());
        assertTrue(run(Map.of("CUTOVER_API", Stack.api(), "CUTOVER_TOKEN", globex), "list", "--env", "cli-demo").out()
                .startsWith("No migrations."), "another tenant lists none of acme's");

        // status --watch, not a terminal: plain lines, one per change, until it awaits confirmation.
        Run watch = cutover("status", id, "--watch");
        assertEquals(0, watch.code(), watch.toString());
        List<String> lines = watch.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\[ *\\d+\\.\\ds] sync completed in .*")), watch.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\[ *\\d+\\.\\ds] state awaiting-confirmation")), watch.toString());
        assertEquals("Next: cutover confirm " + id + "   (or: cutover abort " + id + ")", lines.get(lines.size() - 1), watch.toString());
        assertFalse(watch.out().contains("\033["), "no terminal control codes in plain output");
        assertEquals("awaiting-confirmation", Stack.migration(id).path("state").asText());

        // confirm, then watch it complete.
        Run confirm = cutover("confirm", id);
        assertEquals(0, confirm.code(), confirm.toString());
        assertTrue(confirm.out().startsWith("Confirmed migration " + id + ": the switch-over of cli-demo to cli-demo-eu-2 on eu-2"),
                confirm.toString());
        assertTrue(confirm.out().contains("Next: cutover status " + id + " --watch"), confirm.toString());

        Run done = cutover("status", id, "--watch");
        assertEquals(0, done.code(), done.toString());
        assertTrue(done.out().contains("state completed"), done.toString());
        assertTrue(done.out().contains("✔ Migration " + id + " completed: cli-demo now runs on eu-2 as cli-demo-eu-2"), done.toString());
        assertEquals("completed", Stack.migration(id).path("state").asText());

        // list shows it.
        Run list = cutover("list", "--env", "cli-demo");
        assertEquals(0, list.code(), list.toString());
        assertTrue(list.out().startsWith("ID "), list.toString());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith(id + "  cli-demo ") && l.contains(" completed")), list.toString());
        Run none = cutover("list", "--env", "cli-demo", "--state", "failed");
        assertEquals(0, none.code(), none.toString());
        assertTrue(none.out().startsWith("No migrations."), none.toString());

        // --output json: the server's answer, nothing else.
        Run json = cutover("status", id, "--output", "json");
        assertEquals(0, json.code(), json.toString());
        JsonNode parsed = JSON.readTree(json.out());
        assertEquals(id, parsed.path("id").asText());
        assertEquals("completed", parsed.path("state").asText());
        JsonNode listed = JSON.readTree(cutover("list", "--env", "cli-demo", "-o", "json").out());
        assertEquals(id, listed.path(0).path("id").asText());

        // status (no watch): the steps and the preflight report.
        Run status = cutover("status", id);
        assertEquals(0, status.code(), status.toString());
        assertTrue(status.out().contains("✔ sync"), status.toString());
        assertTrue(status.out().contains("Preflight"), status.toString());

        // confirming it again is refused, with the server's reason.
        Run again = cutover("confirm", id);
        assertEquals(3, again.code(), again.toString());
        assertEquals("cutover confirm: refused: migration is completed, not awaiting confirmation", again.err().strip());
        assertEquals("", again.out());

        // rollback, and watch it move back.
        Run rollback = cutover("rollback", id);
        assertEquals(0, rollback.code(), rollback.toString());
        assertTrue(rollback.out().startsWith("Rollback requested for migration " + id), rollback.toString());
        assertTrue(rollback.out().contains("Next: cutover status " + id + " --watch"), rollback.toString());
        Run back = cutover("status", id, "--watch");
        assertEquals(0, back.code(), back.toString());
        assertTrue(back.out().lines().anyMatch(l -> l.matches("\\[ *\\d+\\.\\ds] state rolled-back")), back.toString());
        assertTrue(back.out().contains("↩ Migration " + id + " rolled back: cli-demo serves the traffic again."), back.toString());
    }

    @Test
    void aPlanThatCannotRunIsRefused() {
        Run plan = cutover("plan", "--env", "cli-nowhere", "--to", "eu-2");

        assertEquals(3, plan.code(), plan.toString());
        assertTrue(plan.out().lines().anyMatch(l -> l.matches("  ✘ environment-exists +environment cli-nowhere does not exist")),
                plan.toString());
        assertTrue(plan.out().contains("✘ Refused: "), plan.toString());
        assertTrue(plan.out().endsWith("Next, once that is fixed: cutover plan --env cli-nowhere --to eu-2\n"), plan.toString());
    }

    @Test
    void anUnknownMigrationIsNotFound() {
        String random = UUID.randomUUID().toString();
        Run run = cutover("status", random);

        assertEquals(5, run.code(), run.toString());
        assertEquals("cutover status: not found: no migration " + random, run.err().strip());
        assertEquals(5, cutover("confirm", random).code());
        assertEquals(5, cutover("rollback", random).code());
    }

    @Test
    void aMissingTargetIsAUsageErrorInOneLine() {
        Run run = cutover("create", "--env", "cli-demo");

        assertEquals(2, run.code(), run.toString());
        String[] err = run.err().split("\n");
        assertEquals("cutover create: Missing required option: '--to=SERVER'", err[0]);
        assertTrue(run.err().contains("Usage: cutover create"), run.toString());
        assertFalse(run.err().contains("Exception"), run.toString());
        assertEquals("", run.out());

        Run badId = cutover("status", "42");
        assertEquals(2, badId.code(), badId.toString());
        assertTrue(badId.err().startsWith("cutover status: Invalid value for positional parameter at index 0 (ID): '42' is not a migration id"),
                badId.toString());
    }

    @Test
    void withoutATokenOrWithARefusedOneTheCliSaysWhatToDoAndChangesNothing() {
        Run missing = run(Map.of("CUTOVER_API", Stack.api()), "create", "--env", "cli-tokenless", "--to", "eu-2");
        assertEquals(3, missing.code(), missing.toString());
        assertEquals("cutover create: the API asks for a token: pass --token TOKEN or set CUTOVER_TOKEN (./cutover up writes one to"
                + " .cutover/token)", missing.err().strip());
        Run forged = run(Map.of("CUTOVER_API", Stack.api()), "list", "--token", "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl");
        assertEquals(3, forged.code(), forged.toString());
        assertTrue(forged.err().contains("the token was refused"), forged.toString());
        assertTrue(cutover("list", "--env", "cli-tokenless").out().startsWith("No migrations."), "nothing was created");
    }

    @Test
    void anUnreachableServer() {
        Run run = run(Map.of(), "list", "--api", "http://127.0.0.1:1");

        assertEquals(6, run.code(), run.toString());
        assertEquals("cutover list: cannot reach the Cutover API at http://127.0.0.1:1: connection refused", run.err().strip());
    }

    @Test
    void aRefusedCreateSaysWhyAndAFailedPreflightExitsFailed() {
        Run invalid = cutover("create", "--env", "cli-nowhere", "--to", "eu-2", "--new-name", "Not A Name");
        assertEquals(3, invalid.code(), invalid.toString());
        assertEquals("cutover create: refused: newName must be lower-case letters, digits and dashes, starting with a letter"
                + " (at most 41): 'Not A Name' is not", invalid.err().strip());

        Run create = cutover("create", "--env", "cli-nowhere", "--to", "eu-2");
        assertEquals(0, create.code(), create.toString());
        Matcher m = UUID_PATTERN.matcher(create.out());
        assertTrue(m.find(), create.toString());
        Run watch = cutover("status", m.group(), "--watch");
        assertEquals(4, watch.code(), watch.toString());
        assertTrue(watch.out().lines().anyMatch(l -> l.matches("\\[ *\\d+\\.\\ds] state preflight-failed: .+")), watch.toString());
        assertTrue(watch.out().contains("Next, once the cause is fixed: cutover create --env cli-nowhere --to eu-2"), watch.toString());
    }
}
