package dev.cutover.kit.platform;

import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Every configuration key under a prefix, without it: what an adapter (platform, router) is given. */
public final class Settings {

    private Settings() {
    }

    public static Map<String, String> under(String prefix) {
        Config config = ConfigProvider.getConfig();
        Map<String, String> settings = new HashMap<>();
        for (String key : config.getPropertyNames()) {
            if (key.startsWith(prefix)) {
                config.getOptionalValue(key, String.class).ifPresent(v -> settings.put(key.substring(prefix.length()), v));
            }
        }
        return settings;
    }
}
