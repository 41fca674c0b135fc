package dev.cutover.traffic.router;

import dev.cutover.kit.platform.Settings;
import dev.cutover.platform.Platform;
import dev.cutover.platform.router.Backends;
import dev.cutover.platform.router.Router;
import dev.cutover.platform.router.RouterAdapter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The router the traffic service drives: the adapter named by {@code cutover.router.adapter} (edge: Cutover's own). */
@ApplicationScoped
public class RouterProducer {

    @ConfigProperty(name = "cutover.router.adapter")
    String adapter;

    @Produces
    @Singleton
    Router router(Platform platform) {
        return RouterAdapter.load(adapter, Settings.under("cutover.router."), platform);
    }

    /** Which environments run, and where: the switch-over checks its target before the freeze and inside it. */
    @Produces
    @Singleton
    Backends backends(Platform platform) {
        return new Backends(platform);
    }
}
