package dev.cutover.edge.proxy;

import dev.cutover.platform.PlatformAdapter;
import dev.cutover.platform.router.Backends;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where each environment's release answers, asked of the platform (with the router's own token, role service). Only
 * that: the router is no Cutover service and knows nothing else of the platform.
 */
public class BackendsProducer {

    @ConfigProperty(name = "cutover.platform.url")
    String url;

    @ConfigProperty(name = "cutover.platform.token")
    Optional<String> token;

    @ConfigProperty(name = "cutover.platform.timeout")
    String timeout;

    @ConfigProperty(name = "cutover.platform.reconnect")
    String reconnect;

    @Produces
    @Singleton
    Backends backends() {
        return new Backends(PlatformAdapter.load("local", Map.of("url", url, "token", token.orElse(""), "timeout", timeout,
                "reconnect", reconnect)));
    }
}
