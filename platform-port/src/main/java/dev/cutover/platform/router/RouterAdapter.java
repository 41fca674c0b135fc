package dev.cutover.platform.router;

import dev.cutover.platform.Platform;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * A way to drive one kind of router. Found with {@link ServiceLoader} like the platform adapters: put a jar with an
 * implementation (and its {@code META-INF/services/dev.cutover.platform.router.RouterAdapter} line) on the traffic
 * service's class path and set {@code cutover.router.adapter} to its {@link #name()}.
 */
public interface RouterAdapter {

    String name();

    /**
     * {@code settings}: every {@code cutover.router.*} configuration key, without the prefix; {@code platform}: to look up
     * an environment's backend address ({@link dev.cutover.platform.Environment#backendUrl()}).
     */
    Router connect(Map<String, String> settings, Platform platform);

    static Router load(String name, Map<String, String> settings, Platform platform) {
        for (RouterAdapter adapter : ServiceLoader.load(RouterAdapter.class)) {
            if (adapter.name().equals(name)) {
                return adapter.connect(settings, platform);
            }
        }
        throw new IllegalArgumentException("no router adapter named '" + name + "' on the class path");
    }
}
