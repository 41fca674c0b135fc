package dev.cutover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** What every command that talks to the API shares: --api, --output, printing, and turning refusals into exit codes. */
abstract class ApiCommand implements Callable<Integer> {

    enum Output { text, json }

    @ParentCommand
    Cutover root;

    @Spec
    CommandSpec spec;

    @Option(names = "--api", paramLabel = "URL",
            description = "the orchestrator's URL (default: $CUTOVER_API, else " + Api.DEFAULT_URL + ")")
    String apiUrl;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "the bearer token the API asks for (default: $CUTOVER_TOKEN; ./cutover uses the running stack's)")
    String token;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "${COMPLETION-CANDIDATES}: json prints the server's JSON answer as is, and nothing else on stdout")
    Output output;

    Api api() {
        String fromEnv = root.env.get("CUTOVER_API");
        String url = apiUrl != null ? apiUrl : fromEnv != null && !fromEnv.isBlank() ? fromEnv.strip() : Api.DEFAULT_URL;
        String invalid = Api.invalid(url);
        if (invalid != null) {
            throw new ParameterException(spec.commandLine(), (apiUrl != null ? "--api: " : "CUTOVER_API: ") + invalid);
        }
        String tokenFromEnv = root.env.get("CUTOVER_TOKEN");
        String bearer = token != null ? token.strip() : tokenFromEnv != null && !tokenFromEnv.isBlank() ? tokenFromEnv.strip() : null;
        return new Api(url, bearer);
    }

    boolean json() {
        return output == Output.json;
    }

    PrintWriter out() {
        return root.out;
    }

    /** POSTs an action on a migration, then says what happened ({@code said}) and the command to run next. */
    int act(UUID id, String action, Function<JsonNode, String> said) {
        Api.Answer answer = api().post("/migrations/" + id + "/" + action, null, Map.of());
        if (!answer.ok()) {
            throw refusal(answer);
        }
        if (json()) {
            printRaw(answer);
        } else {
            print(List.of(said.apply(body(answer)), "Next: cutover status " + id + " --watch"));
        }
        return Exit.OK;
    }

    void print(List<String> lines) {
        lines.forEach(root.out::println);
        root.out.flush();
    }

    /** With --output json: the server's answer exactly as received. */
    void printRaw(Api.Answer answer) {
        String body = answer.body() == null ? "" : answer.body();
        root.out.println(body.endsWith("\n") ? body.substring(0, body.length() - 1) : body);
        root.out.flush();
    }

    /** The answer as JSON, or an error if it is none (the API always answers JSON). */
    JsonNode body(Api.Answer answer) {
        JsonNode json = answer.json();
        if (json == null) {
            throw new CliException(Exit.ERROR, "the server's answer to " + answer.path() + " is not JSON (HTTP " + answer.status() + ")");
        }
        return json;
    }

    /** An answer that is not a success: its body on stdout with --output json, the problem's detail on stderr, its code. */
    CliException refusal(Api.Answer answer) {
        if (json() && answer.body() != null && !answer.body().isBlank()) {
            printRaw(answer);
        }
        if (answer.status() == 401) {
            return new CliException(Exit.REFUSED, token == null && (root.env.get("CUTOVER_TOKEN") == null || root.env.get("CUTOVER_TOKEN").isBlank())
                    ? "the API asks for a token: pass --token TOKEN or set CUTOVER_TOKEN (./cutover up writes one to .cutover/token)"
                    : "the token was refused: it has expired or was not issued for this Cutover; get a new one (./cutover up writes one"
                            + " to .cutover/token)");
        }
        if (answer.status() == 403) {
            return new CliException(Exit.REFUSED, "refused: your token's role may not do this (moving environments takes the"
                    + " operator role)");
        }
        int code = Exit.forHttpStatus(answer.status());
        String what = switch (code) {
            case Exit.NOT_FOUND -> "not found";
            case Exit.REFUSED -> "refused";
            case Exit.USAGE -> "bad request";
            default -> "the server failed (HTTP " + answer.status() + ")";
        };
        return new CliException(code == Exit.OK ? Exit.ERROR : code, what + ": " + answer.detail());
    }

    /** A migration id on the command line: a UUID, or a usage error that says so. */
    static final class MigrationId implements ITypeConverter<UUID> {
        @Override
        public UUID convert(String value) {
            try {
                if (value.length() == 36) {
                    return UUID.fromString(value);
                }
            } catch (IllegalArgumentException e) {
                // below
            }
            throw new TypeConversionException("'" + value + "' is not a migration id (a UUID such as 3f2b9c1e-7d41-4a8e-9a0b-5c6d7e8f9a01)");
        }
    }
}
