package dev.cutover.kit.platform;

import dev.cutover.platform.Platform;
import dev.cutover.platform.PlatformAdapter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** The platform a service acts on: the adapter named by {@code cutover.platform.adapter}, given every {@code cutover.platform.*} key. */
public class PlatformProducer {

    private static final String PREFIX = "cutover.platform.";

    @Produces
    @ApplicationScoped
    Platform platform() {
        Config config = ConfigProvider.getConfig();
        Map<String, String> settings = new HashMap<>();
        for (String key : config.getPropertyNames()) {
            if (key.startsWith(PREFIX)) {
                config.getOptionalValue(key, String.class).ifPresent(v -> settings.put(key.substring(PREFIX.length()), v));
            }
        }
        return PlatformAdapter.load(settings.getOrDefault("adapter", "local"), settings);
    }
}
