package dev.cutover.platform.router;

import dev.cutover.platform.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * {@code cutover.router.adapter=command}: a router driven by the executable in {@code cutover.router.command}, given
 * {@code cutover.router.command-timeout} (default 10 s) per call and holding a freeze at most
 * {@code cutover.router.hold.max-duration} (default 5 s). See {@link CommandRouter}.
 */
public final class CommandRouterAdapter implements RouterAdapter {

    @Override
    public String name() {
        return "command";
    }

    @Override
    public Router connect(Map<String, String> settings, Platform platform) {
        String command = settings.get("command");
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("cutover.router.adapter=command needs cutover.router.command, the executable to run");
        }
        if (!Files.isExecutable(Path.of(command))) {
            throw new IllegalArgumentException("cutover.router.command " + command + " is not an executable file");
        }
        return new CommandRouter(command, duration(settings, "command-timeout", "10s"), duration(settings, "hold.max-duration", "5s"), platform);
    }

    /** Reads "10s", "500ms", "2m" as Quarkus does (and ISO-8601 "PT10S"). */
    private static Duration duration(Map<String, String> settings, String key, String fallback) {
        String value = settings.getOrDefault(key, fallback).strip();
        try {
            if (value.matches("\\d+ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.matches("\\d+[smhd]")) {
                return Duration.parse((value.endsWith("d") ? "P" : "PT") + value.toUpperCase());
            }
            return Duration.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("cutover.router." + key + " is not a duration (like 10s or 500ms): " + value);
        }
    }
}
