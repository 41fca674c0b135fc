package dev.cutover.traffic.router;

import dev.cutover.kit.platform.Settings;
import dev.cutover.platform.Platform;
import dev.cutover.platform.router.Router;
import dev.cutover.platform.router.RouterAdapter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The router the traffic service drives: its own edge router, or the adapter named by {@code cutover.router.adapter}. */
@ApplicationScoped
public class RouterProducer {

    @ConfigProperty(name = "cutover.router.adapter")
    String adapter;

    @Inject
    EdgeRouter edge;

    @Inject
    Platform platform;

    @Produces
    @Singleton
    Router router() {
        return adapter.equals(EdgeRouter.ADAPTER) ? edge : RouterAdapter.load(adapter, Settings.under("cutover.router."), platform);
    }
}
