package dev.cutover.platform.router;

import dev.cutover.platform.Platform;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * {@code cutover.router.adapter=edge} (the default): Cutover's own edge router at {@code cutover.router.url}, called with
 * {@code cutover.router.token}; each call may take the router's hold bound ({@code cutover.router.hold.max-duration},
 * 15 s) and 5 s more, and a router that refuses connections is asked again for {@code cutover.router.reconnect} (10 s).
 */
public final class EdgeRouterAdapter implements RouterAdapter {

    @Override
    public String name() {
        return "edge";
    }

    @Override
    public Router connect(Map<String, String> settings, Platform platform) {
        String url = settings.get("url");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("cutover.router.adapter=edge needs cutover.router.url, the edge router's control API");
        }
        String token = settings.get("token");
        Duration timeout = Durations.parse(settings, "hold.max-duration", "15s").plusSeconds(5);
        return new EdgeRouterClient(URI.create(url), token == null || token.isBlank() ? null : token, timeout,
                Durations.parse(settings, "reconnect", "10s"));
    }
}
