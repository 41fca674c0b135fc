package dev.cutover.platform;

import java.util.Map;
import java.util.ServiceLoader;

/**
 * A way to reach one kind of platform. Adapters are found with {@link ServiceLoader}: to plug in your own PaaS, put a
 * jar with an implementation (and its {@code META-INF/services/dev.cutover.platform.PlatformAdapter} line) on the
 * services' class path and set {@code cutover.platform.adapter} to its {@link #name()}.
 */
public interface PlatformAdapter {

    String name();

    /** {@code settings}: every {@code cutover.platform.*} configuration key, without the prefix. */
    Platform connect(Map<String, String> settings);

    static Platform load(String name, Map<String, String> settings) {
        for (PlatformAdapter adapter : ServiceLoader.load(PlatformAdapter.class)) {
            if (adapter.name().equals(name)) {
                return adapter.connect(settings);
            }
        }
        throw new IllegalArgumentException("no platform adapter named '" + name + "' on the class path");
    }
}
