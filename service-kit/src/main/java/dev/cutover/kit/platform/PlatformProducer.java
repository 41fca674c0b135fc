package dev.cutover.kit.platform;

import dev.cutover.platform.Platform;
import dev.cutover.platform.PlatformAdapter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.Map;

/** The platform a service acts on: the adapter named by {@code cutover.platform.adapter}, given every {@code cutover.platform.*} key. */
public class PlatformProducer {

    @Produces
    @ApplicationScoped
    Platform platform() {
        Map<String, String> settings = Settings.under("cutover.platform.");
        return PlatformAdapter.load(settings.getOrDefault("adapter", "local"), settings);
    }
}
