package dev.cutover.platform.router;

import dev.cutover.platform.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code cutover.router.adapter=command}: a router driven by the executable in {@code cutover.router.command}, given
 * {@code cutover.router.command-timeout} (default 10 s) per call and holding a freeze at most
 * {@code cutover.router.hold.max-duration} (default 15 s). See {@link CommandRouter}.
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
        return new CommandRouter(command, Durations.parse(settings, "command-timeout", "10s"), Durations.parse(settings, "hold.max-duration", "15s"), platform);
    }
}
