package dev.cutover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A bad argument: exit 2, one line that says what is wrong, then the usage; never a stack trace, never a request. */
class UsageErrorsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "create --env shop                          | cutover create: Missing required option: '--to=SERVER'",
            "create --to eu-2                           | cutover create: Missing required option: '--env=ENV'",
            "plan --env shop --to eu-2 --strategy fast  | cutover plan: Invalid value for option '--strategy': expected one of [live, snapshot, manual]",
            "status not-a-uuid                          | cutover status: Invalid value for positional parameter at index 0 (ID): 'not-a-uuid' is not a migration id",
            "confirm 3f2b9c1e-7d41-4a8e-9a0b            | cutover confirm: Invalid value for positional parameter at index 0 (ID): '3f2b9c1e-7d41-4a8e-9a0b' is not a migration id",
            "status                                     | cutover status: Missing required parameter: 'ID'",
            "list --bogus                               | cutover list: Unknown option: '--bogus'",
            "stauts 3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01 | cutover: unknown command 'stauts' (did you mean status",
            "list --output yaml                         | cutover list: Invalid value for option '--output': expected one of [text, json]",
            "list --api ftp://host                      | cutover list: --api: 'ftp://host' is not an http:// or https:// URL",
            "abort 3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01 extra | cutover abort: Unmatched argument at index 2: 'extra'",
    })
    void badArgumentsGetOneLineAndTheUsage(String commandLine, String firstLine) {
        Run run = Run.of(commandLine.trim().split("\\s+"));

        assertEquals(Exit.USAGE, run.code(), run.toString());
        String[] lines = run.err().split("\n");
        assertTrue(lines[0].startsWith(firstLine), run.toString());
        assertTrue(lines[1].startsWith("Usage: cutover"), "the usage follows the error: " + run);
        assertTrue(run.err().endsWith(" --help' for more.\n"), run.toString());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), "no stack trace: " + run);
        assertEquals("", run.out(), "nothing on stdout");
    }

    @Test
    void aBadApiUrlFromTheEnvironmentIsAUsageErrorToo() {
        Run run = Run.of(java.util.Map.of("CUTOVER_API", "not a url"), "list");

        assertEquals(Exit.USAGE, run.code(), run.toString());
        assertTrue(run.err().startsWith("cutover list: CUTOVER_API: 'not a url' is not a"), run.toString());
    }

    @Test
    void noCommandIsAUsageError() {
        Run run = Run.of();

        assertEquals(Exit.USAGE, run.code());
        assertTrue(run.err().startsWith("cutover: missing command\n"), run.toString());
    }

    @Test
    void helpListsTheCommandsAndTheExitCodes() {
        Run run = Run.of("--help");

        assertEquals(Exit.OK, run.code());
        for (String s : new String[] {"plan", "create", "status", "confirm", "abort", "rollback", "list", "Exit codes:",
                "3  refused", "6  server unreachable"}) {
            assertTrue(run.out().contains(s), s + " in " + run.out());
        }
        for (String line : run.out().split("\n")) {
            assertTrue(line.length() <= 80, "help fits 80 columns: " + line);
        }
        assertEquals(Exit.OK, Run.of("create", "--help").code());
        assertTrue(Run.of("help", "status").out().contains("--watch"));
    }
}
