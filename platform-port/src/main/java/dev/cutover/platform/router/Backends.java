package dev.cutover.platform.router;

import dev.cutover.platform.Environment;
import dev.cutover.platform.Platform;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Where each environment's release answers, asked of the platform once and remembered until a call to it fails. */
public final class Backends {

    private final Platform platform;
    private final Map<String, String> urls = new ConcurrentHashMap<>();

    public Backends(Platform platform) {
        this.platform = platform;
    }

    /** The backend URL if it is known already (never blocks), else null. */
    public String known(String environment) {
        return urls.get(environment);
    }

    /** Looks the backend up now (blocking): before a freeze, so that its end does not wait for it. */
    public Optional<String> resolve(String environment) {
        Optional<String> url = platform.environment(environment).map(Environment::backendUrl);
        url.ifPresentOrElse(u -> urls.put(environment, u), () -> urls.remove(environment));
        return url;
    }

    public void forget(String environment) {
        urls.remove(environment);
    }
}
