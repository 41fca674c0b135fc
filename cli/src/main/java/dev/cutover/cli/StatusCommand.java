package dev.cutover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        header = "Show a migration; --watch follows it live.",
        description = "Shows a migration: state, current step, each step with its status, duration, detail and figures, "
                + "the preflight report, and the next command.",
        footer = {"", "With --watch it follows the migration until it ends or waits for confirmation: in a terminal it "
                + "redraws one progress line per step (progress bars for the data copy, elapsed time); otherwise it prints "
                + "one line per change. Exits 0 when completed or awaiting confirmation, 4 when failed, aborted or "
                + "preflight-failed.", "", "Exit codes:", Exit.TABLE})
final class StatusCommand extends ApiCommand {

    static final long POLL_MILLIS = 300;

    @Parameters(index = "0", paramLabel = "ID", description = "the migration's id", converter = MigrationId.class)
    UUID id;

    @Option(names = {"-w", "--watch"}, description = "follow the migration until it ends or awaits confirmation")
    boolean watch;

    @Override
    public Integer call() {
        Api api = api();
        String path = "/migrations/" + id;
        if (!watch) {
            Api.Answer answer = get(api, path);
            JsonNode m = body(answer);
            if (json()) {
                printRaw(answer);
            } else {
                print(Render.status(m, Instant.now()));
            }
            return Exit.forState(Render.text(m, "state"));
        }
        long started = System.nanoTime();
        PlainProgress plain = new PlainProgress();
        int width = columns();
        int drawn = 0;
        int tick = 0;
        while (true) {
            Api.Answer answer = get(api, path);
            JsonNode m = body(answer);
            String state = Render.text(m, "state");
            boolean done = Exit.TERMINAL_STATES.contains(state) || Exit.WAITING_FOR_A_PERSON.contains(state);
            if (json()) {
                if (done) {
                    printRaw(answer);
                }
            } else if (root.terminal) {
                List<String> screen = Render.screen(m, Instant.now(), tick++);
                StringBuilder b = new StringBuilder();
                if (drawn > 0) {
                    b.append("\033[").append(drawn).append("F\033[J");
                }
                for (String line : screen) {
                    b.append(Render.fit(line, width)).append('\n');
                }
                out().print(b);
                out().flush();
                drawn = screen.size();
            } else {
                List<String> lines = plain.next(m, Duration.ofNanos(System.nanoTime() - started));
                print(lines);
            }
            if (done) {
                if (!json()) {
                    List<String> end = new ArrayList<>();
                    end.add("");
                    end.addAll(Render.outcome(m));
                    print(end);
                }
                return Exit.forState(state);
            }
            sleep();
        }
    }

    private Api.Answer get(Api api, String path) {
        Api.Answer answer = api.get(path);
        if (!answer.ok()) {
            throw refusal(answer);
        }
        return answer;
    }

    private int columns() {
        try {
            return Integer.parseInt(root.env.getOrDefault("COLUMNS", "").strip());
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Exit.ERROR, "interrupted");
        }
    }
}
