package dev.cutover.cli;

import java.io.Console;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code cutover}: the command line of Cutover. {@link #run} is the whole program without {@code System.exit}, so tests
 * drive it in-process and read its exit code, stdout and stderr.
 */
@Command(name = "cutover", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        description = "Moves an environment to another server, through the Cutover orchestrator's REST API.%n"
                + "Each command says what happened and the exact next command to run.",
        subcommands = {PlanCommand.class, CreateCommand.class, StatusCommand.class, ConfirmCommand.class, ForceCommand.class,
                AbortCommand.class, RollbackCommand.class, FinalizeCommand.class, RepairCommand.class, PauseCommand.class, ResumeCommand.class, ListCommand.class, HelpCommand.class},
        footer = {"", "Examples:",
                "  cutover plan --env shop --to eu-2 --strategy snapshot",
                "  cutover create --env shop --to eu-2 --strategy snapshot",
                "  cutover status 3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01 --watch",
                "  cutover confirm 3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01",
                "  cutover list --env shop --output json",
                "",
                "The API: --api URL on any command, else $CUTOVER_API,",
                "else " + Api.DEFAULT_URL + ".",
                "From the repository root, ./cutover runs this command line too;",
                "there ./cutover up|demo|build run the local stack.",
                "",
                "Exit codes:",
                Exit.TABLE})
public final class Cutover implements Callable<Integer> {

    final PrintWriter out;
    final PrintWriter err;
    final Map<String, String> env;
    /** Output is an interactive terminal: {@code status --watch} redraws in place instead of printing lines. */
    final boolean terminal;

    private Cutover(PrintWriter out, PrintWriter err, Map<String, String> env, boolean terminal) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        System.exit(run(args, System.out, System.err, env, interactive(env)));
    }

    /** Runs one command line and returns its exit code (see {@link Exit}); never exits the JVM, never throws. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, out, err, env, false);
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        try {
            CommandLine cli = new CommandLine(new Cutover(o, e, env, terminal))
                    .setCaseInsensitiveEnumValuesAllowed(true)
                    .setOut(o)
                    .setErr(e)
                    .setColorScheme(Help.defaultColorScheme(terminal ? Help.Ansi.AUTO : Help.Ansi.OFF))
                    .setParameterExceptionHandler(Cutover::usageError)
                    .setExecutionExceptionHandler((ex, cmd, parsed) -> failure(ex, cmd.getCommandSpec().qualifiedName(), e, env));
            return cli.execute(args);
        } catch (RuntimeException | Error ex) {
            return failure(ex, "cutover", e, env);
        } finally {
            o.flush();
            e.flush();
        }
    }

    /** No command given. */
    @Override
    public Integer call() {
        err.println("cutover: missing command");
        err.print(usage(new CommandLine(this).setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF))));
        return Exit.USAGE;
    }

    /** A bad argument: one line saying what is wrong, then the usage of the command; never a stack trace. */
    static int usageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String message = oneLine(ex.getMessage());
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && !cmd.getSubcommands().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message += " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
        }
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + message);
        err.print(usage(cmd));
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The usage without the description, examples and exit codes: the synopsis, the parameters, options or commands. */
    static String usage(CommandLine cmd) {
        Help help = cmd.getHelp();
        StringBuilder usage = new StringBuilder(help.synopsisHeading()).append(help.synopsis(help.synopsisHeadingLength()))
                .append(help.parameterList()).append(help.optionList());
        if (!cmd.getSubcommands().isEmpty()) {
            usage.append(help.commandListHeading()).append(help.commandList());
        }
        return usage.append("Run '").append(cmd.getCommandSpec().qualifiedName()).append(" --help' for more.")
                .append(System.lineSeparator()).toString();
    }

    private static int failure(Throwable ex, String command, PrintWriter err, Map<String, String> env) {
        if (ex instanceof CliException c) {
            if (c.getMessage() != null) {
                err.println(command + ": " + oneLine(c.getMessage()));
            }
            return c.code();
        }
        err.println(command + ": unexpected error: " + oneLine(String.valueOf(ex)));
        if (env.containsKey("CUTOVER_DEBUG")) {
            ex.printStackTrace(err);
        }
        return Exit.ERROR;
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().lines().findFirst().orElse("").strip();
    }

    /** A terminal where redrawing in place works: a console (and, from JDK 22 on, a real terminal) and TERM not dumb. */
    static boolean interactive(Map<String, String> env) {
        Console console = System.console();
        if (console == null || "dumb".equals(env.get("TERM"))) {
            return false;
        }
        if (Runtime.version().feature() >= 22) {
            try {
                return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException e) {
                return true;
            }
        }
        return true;
    }

    /** The version from the jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cutover.class.getPackage().getImplementationVersion();
            return new String[] {"cutover " + (v == null ? "(development build)" : v)};
        }
    }
}
