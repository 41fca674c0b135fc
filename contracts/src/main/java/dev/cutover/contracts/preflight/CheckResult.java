package dev.cutover.contracts.preflight;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cutover.contracts.Required;

/** One preflight check: an id, how much it matters, what came out, and a reason a person can act on. */
public record CheckResult(String id, Severity severity, Outcome outcome, String reason) {
    public CheckResult {
        Required.present(id, "id");
        Required.present(severity, "severity");
        Required.present(outcome, "outcome");
        Required.present(reason, "reason");
    }

    public enum Severity {
        @JsonProperty("blocker") BLOCKER,
        @JsonProperty("warning") WARNING
    }

    public enum Outcome {
        @JsonProperty("pass") PASS,
        @JsonProperty("fail") FAIL,
        @JsonProperty("warning") WARNING
    }

    public boolean blocks() {
        return severity == Severity.BLOCKER && outcome == Outcome.FAIL;
    }
}
