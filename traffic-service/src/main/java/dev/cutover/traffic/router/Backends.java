package dev.cutover.traffic.router;

import dev.cutover.platform.Platform;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Where each environment's release answers, asked of the platform once and remembered until a call to it fails. */
@ApplicationScoped
public class Backends {

    @Inject
    Platform platform;

    private final Map<String, String> urls = new ConcurrentHashMap<>();

    /** The backend URL if it is known already (never blocks), else null. */
    public String known(String environment) {
        return urls.get(environment);
    }

    /** Looks the backend up now (blocking): used before releasing held requests, so they don't wait for it. */
    public Optional<String> resolve(String environment) {
        Optional<String> url = platform.environment(environment).map(e -> e.backendUrl());
        url.ifPresentOrElse(u -> urls.put(environment, u), () -> urls.remove(environment));
        return url;
    }

    public void forget(String environment) {
        urls.remove(environment);
    }
}
