package dev.cutover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExitTest {

    @Test
    void httpStatuses() {
        assertEquals(Exit.OK, Exit.forHttpStatus(200));
        assertEquals(Exit.OK, Exit.forHttpStatus(202));
        assertEquals(Exit.USAGE, Exit.forHttpStatus(400));
        assertEquals(Exit.NOT_FOUND, Exit.forHttpStatus(404));
        assertEquals(Exit.REFUSED, Exit.forHttpStatus(409));
        assertEquals(Exit.REFUSED, Exit.forHttpStatus(422));
        assertEquals(Exit.ERROR, Exit.forHttpStatus(500));
        assertEquals(Exit.ERROR, Exit.forHttpStatus(503));
    }

    @Test
    void migrationStates() {
        for (String ok : new String[] {"completed", "rolled-back", "rolling-back", "awaiting-confirmation", "preflight", "prepare", "sync", "verify",
                "switch-over", "aborting"}) {
            assertEquals(Exit.OK, Exit.forState(ok), ok);
        }
        for (String failed : new String[] {"failed", "aborted", "preflight-failed"}) {
            assertEquals(Exit.FAILED, Exit.forState(failed), failed);
        }
    }

    @Test
    void theDocumentedCodes() {
        assertEquals(0, Exit.OK);
        assertEquals(2, Exit.USAGE);
        assertEquals(2, picocli.CommandLine.ExitCode.USAGE, "2 is picocli's usage error code");
        assertEquals(3, Exit.REFUSED);
        assertEquals(4, Exit.FAILED);
        assertEquals(5, Exit.NOT_FOUND);
        assertEquals(6, Exit.UNREACHABLE);
    }
}
