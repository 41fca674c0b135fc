package dev.cutover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code status --watch} when the output is not a terminal (a pipe, a file, CI): one plain line per change of a step
 * (status, detail or figures) or of the migration's state, each stamped with the time since the watch began.
 */
final class PlainProgress {

    private String state;
    private final Map<String, String> steps = new HashMap<>();

    List<String> next(JsonNode m, Duration sinceStart) {
        String stamp = String.format(Locale.ROOT, "[%6.1fs] ", sinceStart.toMillis() / 1000.0);
        List<String> lines = new ArrayList<>();
        for (JsonNode s : m.path("steps")) {
            String name = Render.text(s, "step");
            String status = Render.text(s, "status");
            String signature = status + "|" + Render.text(s, "detail") + "|" + s.path("figures");
            String before = steps.put(name, signature);
            if (signature.equals(before) || (before == null && status.equals("pending"))) {
                continue;
            }
            StringBuilder line = new StringBuilder(stamp).append(name).append(' ').append(status);
            if (s.path("durationMs").isNumber() && !status.equals("running") && !status.equals("dispatched")) {
                line.append(" in ").append(Render.millis(s.path("durationMs").asLong()));
            }
            if (!Render.text(s, "detail").isEmpty()) {
                line.append(": ").append(Render.text(s, "detail"));
            }
            String figures = Render.figures(s.path("figures"));
            if (!figures.isEmpty()) {
                line.append(" (").append(figures).append(')');
            }
            lines.add(line.toString());
        }
        String now = Render.text(m, "state");
        if (!now.equals(state)) {
            String reason = Render.text(m, "reason");
            boolean why = Exit.FAILED_STATES.contains(now) || now.equals("aborting");
            lines.add(stamp + "state " + now + (why && !reason.isEmpty() ? ": " + reason : ""));
            state = now;
        }
        return lines;
    }
}
