package dev.cutover.platform.local;

import dev.cutover.platform.Platform;
import dev.cutover.platform.PlatformAdapter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * {@code cutover.platform.adapter=local}: the embedded local platform, at {@code cutover.platform.url}, called with the
 * service's bearer token {@code cutover.platform.token}; a platform that refuses connections is asked again for
 * {@code cutover.platform.reconnect}.
 */
public final class LocalPlatformAdapter implements PlatformAdapter {

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Platform connect(Map<String, String> settings) {
        String url = settings.get("url");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("cutover.platform.url must name the local platform's address");
        }
        Duration timeout = duration(settings.getOrDefault("timeout", "30s"));
        String token = settings.get("token");
        return new LocalPlatformClient(URI.create(url), timeout, token == null || token.isBlank() ? null : token,
                duration(settings.getOrDefault("reconnect", "0s")));
    }

    private static Duration duration(String seconds) {
        return Duration.parse("PT" + seconds.toUpperCase());
    }
}
