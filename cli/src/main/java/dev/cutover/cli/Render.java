package dev.cutover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How the API's answers read to a human. Pure functions of the JSON, so they are tested without a server. */
final class Render {

    static final String PASS = "✔";
    static final String WARN = "⚠";
    static final String FAIL = "✘";
    private static final int BAR_WIDTH = 24;

    private Render() {
    }

    // ---------------------------------------------------------------- a migration

    /** {@code cutover status ID}: everything about one migration, and the next command. */
    static List<String> status(JsonNode m, Instant now) {
        List<String> lines = new ArrayList<>();
        String id = text(m, "id");
        lines.add("Migration " + id);
        lines.add("  environment  " + route(m));
        lines.add("  strategy     " + text(m, "strategy") + ", confirmation "
                + (m.path("autoConfirm").asBoolean(false) ? "automatic" : "by hand (cutover confirm)") + wayBack(m));
        String step = text(m, "currentStep");
        lines.add("  state        " + text(m, "state") + (step.isEmpty() || terminal(m) ? "" : " (current step: " + step + ")"));
        if (!text(m, "switchOverAt").isEmpty() && !terminal(m)) {
            lines.add("  window       switches over from " + timestamp(text(m, "switchOverAt"))
                    + (text(m, "switchOverUntil").isEmpty() ? "" : " until " + timestamp(text(m, "switchOverUntil")))
                    + " by itself (cutover confirm switches over now)");
        }
        if (text(m, "state").equals("completed") && !text(m, "rollbackUntil").isEmpty()) {
            lines.add("  way back     the source follows the target; rollback possible until " + timestamp(text(m, "rollbackUntil")));
        }
        if (text(m, "state").equals("completed") && !text(m, "finalizeAt").isEmpty()) {
            lines.add("  source       " + text(m, "environment") + " is kept (fenced) until " + timestamp(text(m, "finalizeAt"))
                    + ", then removed (cutover finalize " + id + " removes it now)");
        }
        if (!text(m, "reason").isEmpty() && !text(m, "state").equals("completed")) {
            lines.add("  reason       " + text(m, "reason"));
        }
        Duration elapsed = elapsed(m, now);
        lines.add("  started      " + timestamp(text(m, "createdAt"))
                + (elapsed == null ? "" : (terminal(m) ? ", took " : ", ") + clock(elapsed) + (terminal(m) ? "" : " ago")));
        lines.add("");
        lines.add("Steps");
        for (JsonNode s : m.path("steps")) {
            lines.add("  " + stepLine(s, now));
        }
        List<String> freeze = freeze(m);
        if (!freeze.isEmpty()) {
            lines.add("");
            lines.addAll(freeze);
        }
        List<String> checks = checks(m.path("preflight"));
        if (!checks.isEmpty()) {
            lines.add("");
            lines.add("Preflight");
            checks.forEach(c -> lines.add("  " + c));
        }
        lines.add("");
        lines.addAll(outcome(m));
        return lines;
    }

    /**
     * The switch-over's parts once it has run, as the dashboard's timeline draws them: how long writes were held and how
     * many requests waited, then each step of the freeze with its time, the fence inside the final sync.
     */
    static List<String> freeze(JsonNode m) {
        Long held = figure(m, "freezeMillis");
        if (held == null) {
            return List.of();
        }
        Long queued = figure(m, "heldRequests");
        List<String> lines = new ArrayList<>();
        lines.add("Switch-over: writes held " + millis(held) + (queued == null ? "" : ", " + number(queued) + " requests queued meanwhile"));
        for (JsonNode s : m.path("steps")) {
            String step = text(s, "step");
            if (List.of("catch-up", "freeze", "final-sync", "switch-over").contains(step) && s.hasNonNull("durationMs")) {
                JsonNode fence = s.path("figures").path("fenceMillis");
                lines.add("  " + pad(step, 12) + " " + millis(s.path("durationMs").asLong())
                        + (step.equals("final-sync") && fence.isNumber() ? " (the write fence " + millis(fence.asLong()) + ")" : ""));
            }
        }
        return lines;
    }

    /** What a migration's state means now, and the exact next command. */
    static List<String> outcome(JsonNode m) {
        String id = text(m, "id");
        String state = text(m, "state");
        String reason = text(m, "reason");
        List<String> lines = new ArrayList<>();
        switch (state) {
            case "completed" -> {
                Long freeze = figure(m, "freezeMillis");
                lines.add(PASS + " Migration " + id + " completed: " + text(m, "environment") + " now runs on "
                        + text(m, "targetServer") + " as " + text(m, "targetEnvironment")
                        + (freeze == null ? "." : " (writes were frozen for " + millis(freeze) + ")."));
                lines.add("Nothing left to do: the old address forwards to the target.");
                lines.add("To move it back: cutover rollback " + id);
            }
            case "rolled-back" -> {
                lines.add("↩ Migration " + id + " rolled back: " + text(m, "environment") + " serves the traffic again.");
                lines.add("Nothing left to do. To try again later: " + createCommand(text(m, "environment"),
                        text(m, "targetServer"), text(m, "strategy"), null, ""));
            }
            case "awaiting-confirmation" -> {
                lines.add("The target " + text(m, "targetEnvironment") + " on " + text(m, "targetServer")
                        + " is ready and verified; traffic still goes to " + text(m, "environment") + ".");
                lines.add("Next: cutover confirm " + id + "   (or: cutover abort " + id + ")");
            }
            case "needs-attention" -> {
                lines.add(FAIL + " Migration " + id + " needs attention: " + reason);
                lines.add("Next, once the cause is fixed: cutover repair " + id + "   (or, to give the compensation up: cutover abort "
                        + id + " --force)");
            }
            case "finalizing" -> {
                lines.add("Finalizing: the way back, the old address and " + text(m, "environment") + " itself are being removed"
                        + (reason.contains("failed") ? ": " + reason : "."));
                lines.add("Next: cutover status " + id + " --watch" + (reason.contains("failed") ? "   (once the cause is fixed: cutover finalize " + id + ")" : ""));
            }
            case "finalized" -> {
                lines.add(PASS + " Migration " + id + " finalized: " + text(m, "environment") + " runs on " + text(m, "targetServer")
                        + " as " + text(m, "targetEnvironment") + " for good; it can no longer be rolled back.");
            }
            case "paused" -> {
                lines.add("Paused: " + text(m, "targetEnvironment") + " applies nothing; " + text(m, "environment")
                        + " serves and keeps every change for it.");
                lines.add("Next: cutover resume " + id + "   (or: cutover abort " + id + ")");
            }
            case "waiting-for-catch-up" -> {
                lines.add("Confirmed; the freeze waits: " + reason);
                lines.add("Next: cutover status " + id + " --watch   (or: cutover force " + id + ", or: cutover abort " + id + ")");
            }
            case "failed", "aborted", "preflight-failed" -> {
                lines.add(FAIL + " Migration " + id + " " + state + (reason.isEmpty() ? "." : ": " + reason));
                if (state.equals("preflight-failed")) {
                    for (JsonNode c : m.path("preflight")) {
                        if (text(c, "outcome").equals("fail")) {
                            lines.add("  " + FAIL + " " + text(c, "id") + ": " + text(c, "reason"));
                        }
                    }
                }
                lines.add("Next, once the cause is fixed: " + createCommand(text(m, "environment"), text(m, "targetServer"),
                        text(m, "strategy"), null, ""));
            }
            default -> {
                boolean abortable = List.of("preflight", "prepare", "sync", "verify").contains(state);
                lines.add("Next: cutover status " + id + " --watch" + (abortable ? "   (or: cutover abort " + id + ")" : ""));
            }
        }
        return lines;
    }

    /** {@code cutover create}: the new migration and the next command. */
    static List<String> created(JsonNode m, boolean replayed) {
        String id = text(m, "id");
        List<String> lines = new ArrayList<>();
        lines.add(replayed
                ? "Migration " + id + " was already started with this idempotency key; nothing new was started."
                : "Migration " + id + " created.");
        lines.add("  environment  " + route(m));
        lines.add("  strategy     " + text(m, "strategy") + (m.path("autoConfirm").asBoolean(false)
                ? ", switches over without waiting for confirmation" : ", waits for confirmation before the switch-over") + wayBack(m));
        lines.add("  state        " + text(m, "state"));
        if (Exit.TERMINAL_STATES.contains(text(m, "state")) || Exit.WAITING_FOR_A_PERSON.contains(text(m, "state"))) {
            lines.addAll(outcome(m));
        } else {
            lines.add("Next: cutover status " + id + " --watch");
        }
        return lines;
    }

    private static String route(JsonNode m) {
        String target = text(m, "targetEnvironment");
        return text(m, "environment") + " → " + text(m, "targetServer") + (target.isEmpty() ? "" : " (as " + target + ")");
    }

    static String stepLine(JsonNode s, Instant now) {
        String status = text(s, "status");
        StringBuilder line = new StringBuilder(stepSymbol(status)).append(' ')
                .append(pad(text(s, "step"), 12)).append(' ').append(pad(status, 12));
        Duration d = stepDuration(s, now);
        line.append(' ').append(pad(d == null ? "" : millis(d.toMillis()), 8));
        String figures = figures(s.path("figures"));
        List<String> parts = new ArrayList<>();
        if (!text(s, "detail").isEmpty()) {
            parts.add(text(s, "detail"));
        }
        if (!figures.isEmpty()) {
            parts.add("[" + figures + "]");
        }
        return (line + " " + String.join(" ", parts)).stripTrailing();
    }

    static String stepSymbol(String status) {
        return switch (status) {
            case "completed" -> PASS;
            case "running" -> "▶";
            case "dispatched" -> "…";
            case "failed" -> FAIL;
            case "compensating" -> "↺";
            case "compensated" -> "↩";
            default -> "·";
        };
    }

    static List<String> checks(JsonNode checks) {
        List<String> lines = new ArrayList<>();
        int width = 0;
        for (JsonNode c : checks) {
            width = Math.max(width, text(c, "id").length());
        }
        for (JsonNode c : checks) {
            lines.add((checkSymbol(c) + " " + pad(text(c, "id"), width) + "  " + text(c, "reason")).stripTrailing());
        }
        return lines;
    }

    static String checkSymbol(JsonNode check) {
        String outcome = text(check, "outcome");
        if (outcome.equals("pass")) {
            return PASS;
        }
        if (outcome.equals("warning") || text(check, "severity").equals("warning")) {
            return WARN;
        }
        return FAIL;
    }

    // ---------------------------------------------------------------- plan and list

    /** {@code cutover plan}: the checks, the steps that would run, and the create command (or why not). */
    static List<String> plan(JsonNode p, String createCommand) {
        List<String> lines = new ArrayList<>();
        boolean planned = text(p, "state").equals("planned");
        String target = text(p, "targetEnvironment");
        lines.add("Plan: move " + text(p, "environment") + " to " + text(p, "targetServer")
                + (target.isEmpty() ? "" : " as " + target) + " (" + text(p, "strategy") + wayBack(p) + ")");
        lines.add(text(p, "switchOverAt").isEmpty() ? "Switch-over: once confirmed (cutover confirm)"
                : "Switch-over window: from " + timestamp(text(p, "switchOverAt"))
                        + (text(p, "switchOverUntil").isEmpty() ? "" : " until " + timestamp(text(p, "switchOverUntil")))
                        + ", confirmed by itself then");
        List<String> checks = checks(p.path("checks"));
        if (!checks.isEmpty()) {
            lines.add("Checks");
            checks.forEach(c -> lines.add("  " + c));
        }
        List<String> steps = new ArrayList<>();
        for (JsonNode s : p.path("steps")) {
            steps.add(s.isValueNode() ? s.asText() : text(s, "step"));
        }
        if (planned) {
            if (!steps.isEmpty()) {
                lines.add("Steps that would run: " + String.join(" → ", steps));
            }
            lines.add(PASS + " Planned; nothing was changed.");
            lines.add("Next: " + createCommand);
        } else {
            long blockers = 0;
            for (JsonNode c : p.path("checks")) {
                if (checkSymbol(c).equals(FAIL)) {
                    blockers++;
                }
            }
            lines.add(FAIL + " Refused: " + (blockers == 1 ? "1 check fails" : blockers + " checks fail")
                    + "; nothing was changed.");
            lines.add("Next, once that is fixed: " + createCommand.replaceFirst("^cutover create", "cutover plan"));
        }
        return lines;
    }

    /** {@code cutover list}: one row per migration, newest first. */
    static List<String> list(JsonNode migrations) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "ENVIRONMENT", "TARGET", "STRATEGY", "STATE", "STEP", "STARTED"});
        for (JsonNode m : migrations) {
            String target = text(m, "targetServer") + (text(m, "targetEnvironment").isEmpty() ? "" : " (" + text(m, "targetEnvironment") + ")");
            rows.add(new String[] {text(m, "id"), text(m, "environment"), target, text(m, "strategy"), text(m, "state"),
                    terminal(m) ? "" : text(m, "currentStep"), timestamp(text(m, "createdAt"))});
        }
        if (rows.size() == 1) {
            return List.of("No migrations.", "Start one: cutover plan --env ENV --to SERVER   (then: cutover create ...)");
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(pad(r[i], widths[i])).append("  ");
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    private static String wayBack(JsonNode m) {
        return m.path("oneWay").asBoolean(false) ? ", one way (no reverse replication)" : "";
    }

    static String createCommand(String env, String server, String strategy, String newName, String extra) {
        StringBuilder c = new StringBuilder("cutover create --env ").append(Shell.quote(env)).append(" --to ").append(Shell.quote(server));
        if (strategy != null && !strategy.isEmpty()) {
            c.append(" --strategy ").append(Shell.quote(strategy));
        }
        if (newName != null && !newName.isEmpty()) {
            c.append(" --new-name ").append(Shell.quote(newName));
        }
        return c + extra;
    }

    // ---------------------------------------------------------------- live progress

    /** The screen {@code status --watch} redraws in a terminal: the migration, one progress line per step, elapsed time. */
    static List<String> screen(JsonNode m, Instant now, int tick) {
        List<String> lines = new ArrayList<>();
        lines.add("Migration " + text(m, "id") + "  " + route(m) + ", " + text(m, "strategy"));
        Duration elapsed = elapsed(m, now);
        String step = text(m, "currentStep");
        lines.add("state " + text(m, "state") + (step.isEmpty() || terminal(m) || step.equals(text(m, "state")) ? "" : " · step " + step)
                + (elapsed == null ? "" : " · elapsed " + clock(elapsed)));
        for (JsonNode s : m.path("steps")) {
            String status = text(s, "status");
            Duration d = stepDuration(s, now);
            StringBuilder line = new StringBuilder("  ").append(stepSymbol(status)).append(' ')
                    .append(pad(text(s, "step"), 12)).append(' ').append(pad(status, 12)).append(' ')
                    .append(pad(d == null ? "" : millis(d.toMillis()), 8));
            boolean data = isDataStep(s);
            if (data && !status.equals("pending")) {
                line.append(' ').append(bar(s, tick)).append(' ').append(figures(s.path("figures")));
            } else if (!text(s, "detail").isEmpty()) {
                line.append(' ').append(text(s, "detail"));
            }
            lines.add(line.toString().stripTrailing());
            if (data && status.equals("running") && !text(s, "detail").isEmpty()) {
                lines.add(" ".repeat(38) + text(s, "detail"));
            }
        }
        return lines;
    }

    static boolean isDataStep(JsonNode s) {
        String name = text(s, "step");
        JsonNode f = s.path("figures");
        return name.equals("sync") || name.equals("final-sync") || f.has("rows") || f.has("bytes") || f.has("lagBytes");
    }

    /**
     * A progress bar for a data step: filled by rows (or bytes) against their total when the figures carry one
     * ({@code rowsTotal}, {@code bytesTotal}), full once the step completed, else a block sweeping while it runs.
     */
    static String bar(JsonNode s, int tick) {
        String status = text(s, "status");
        JsonNode f = s.path("figures");
        Double ratio = null;
        if (status.equals("completed")) {
            ratio = 1.0;
        } else {
            for (String[] pair : new String[][] {{"rows", "rowsTotal"}, {"rows", "totalRows"}, {"bytes", "bytesTotal"}, {"bytes", "totalBytes"}}) {
                if (f.path(pair[1]).asLong(0) > 0) {
                    ratio = Math.min(1.0, f.path(pair[0]).asDouble(0) / f.path(pair[1]).asDouble());
                    break;
                }
            }
        }
        StringBuilder b = new StringBuilder("[");
        if (ratio != null) {
            int filled = (int) Math.round(ratio * BAR_WIDTH);
            b.append("█".repeat(filled)).append("░".repeat(BAR_WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%", Math.round(ratio * 100)));
            return b.toString();
        }
        if (!status.equals("running") && !status.equals("dispatched")) {
            return "[" + "░".repeat(BAR_WIDTH) + "]";
        }
        int block = 6;
        int span = BAR_WIDTH - block;
        int pos = span == 0 ? 0 : tick % (2 * span);
        if (pos > span) {
            pos = 2 * span - pos;
        }
        return b.append("░".repeat(pos)).append("█".repeat(block)).append("░".repeat(BAR_WIDTH - block - pos)).append(']').toString();
    }

    /** The figures in words: rows, bytes, lag, then any other number. */
    static String figures(JsonNode f) {
        List<String> parts = new ArrayList<>();
        if (f.has("tables")) {
            parts.add(number(f.path("tables").asLong()) + " tables");
        }
        if (f.has("rows")) {
            parts.add(number(f.path("rows").asLong()) + (f.path("rowsTotal").asLong(0) > 0 ? "/" + number(f.path("rowsTotal").asLong()) : "") + " rows");
        }
        if (f.has("keys") && f.path("keys").asLong() > 0) {
            parts.add(number(f.path("keys").asLong()) + " Redis keys");
        }
        if (f.has("bytes")) {
            parts.add(bytes(f.path("bytes").asLong()));
        }
        if (f.has("lagBytes") || f.has("lagMillis")) {
            List<String> lag = new ArrayList<>();
            if (f.has("lagBytes")) {
                lag.add(bytes(f.path("lagBytes").asLong()));
            }
            if (f.has("lagMillis")) {
                lag.add(millis(f.path("lagMillis").asLong()));
            }
            parts.add("lag " + String.join(" / ", lag));
        }
        if (f.has("freezeMillis")) {
            parts.add("frozen " + millis(f.path("freezeMillis").asLong()));
        }
        if (f.has("millis")) {
            parts.add(millis(f.path("millis").asLong()));
        }
        for (Map.Entry<String, JsonNode> e : f.properties()) {
            if (!List.of("tables", "rows", "rowsTotal", "totalRows", "keys", "bytes", "bytesTotal", "totalBytes", "lagBytes", "lagMillis",
                    "freezeMillis", "millis").contains(e.getKey())) {
                parts.add(e.getKey() + " " + e.getValue().asText());
            }
        }
        return String.join(" · ", parts);
    }

    /** The first figure of that name in any step (for example the switch-over's freezeMillis). */
    static Long figure(JsonNode m, String name) {
        for (JsonNode s : m.path("steps")) {
            JsonNode v = s.path("figures").get(name);
            if (v != null && v.isNumber()) {
                return v.asLong();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- small formats

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    static boolean terminal(JsonNode m) {
        return Exit.TERMINAL_STATES.contains(text(m, "state"));
    }

    /** Since the migration started: until now, or until its last change once it ended. */
    static Duration elapsed(JsonNode m, Instant now) {
        Instant created = instant(text(m, "createdAt"));
        if (created == null) {
            return null;
        }
        Instant end = terminal(m) && instant(text(m, "updatedAt")) != null ? instant(text(m, "updatedAt")) : now;
        Duration d = Duration.between(created, end);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** A step under way: since it started; a finished one: its duration. */
    static Duration stepDuration(JsonNode s, Instant now) {
        boolean underWay = List.of("running", "dispatched", "compensating").contains(text(s, "status"));
        Instant started = instant(text(s, "startedAt"));
        if (underWay && started != null) {
            Duration d = Duration.between(started, now);
            return d.isNegative() ? Duration.ZERO : d;
        }
        return s.path("durationMs").isNumber() && !underWay ? Duration.ofMillis(s.path("durationMs").asLong()) : null;
    }

    static Instant instant(String iso) {
        if (iso == null || iso.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(iso);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** 2026-11-21T10:00:01.123456+01:00 → 2026-11-21 10:00:01 (the server's own offset kept). */
    static String timestamp(String iso) {
        if (iso.length() >= 19 && iso.charAt(10) == 'T') {
            return iso.substring(0, 10) + " " + iso.substring(11, 19);
        }
        return iso;
    }

    /** 0:07, 1:02:03. */
    static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** 0.4 s, 12.3 s, 2m 05s, 3h 02m. */
    static String seconds(Duration d) {
        long ms = d.toMillis();
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        if (ms < 3_600_000) {
            return String.format(Locale.ROOT, "%dm %02ds", ms / 60_000, ms / 1000 % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", ms / 3_600_000, ms / 60_000 % 60);
    }

    /** 420 ms, 1.5 s. */
    static String millis(long ms) {
        return ms < 1000 ? ms + " ms" : seconds(Duration.ofMillis(ms));
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** Cuts a line to the terminal's width so a redraw moves up exactly one row per line. */
    static String fit(String line, int width) {
        if (width <= 1 || line.codePointCount(0, line.length()) < width) {
            return line;
        }
        int end = line.offsetByCodePoints(0, width - 2);
        return line.substring(0, end) + "…";
    }
}
