package dev.cutover.platform.router;

import java.util.List;

/**
 * The router in front of the environments: what the traffic service drives during a switch-over. The built-in one is
 * the edge router ({@code cutover.router.adapter=edge}). To drive nginx, HAProxy, a cloud load balancer or a DNS
 * provider instead, implement this interface and a {@link RouterAdapter}, or use the {@code command} adapter with a
 * script (docs/routers.md). The traffic service keeps the routes in its own database and calls {@link #apply} for every
 * change once it has committed, and for every route at start, so a router only has to follow.
 *
 * <p>The zero-failed-requests promise needs a router that can hold requests: one whose {@link #hold} really queues new
 * requests until {@link #release}. A router that can't (a DNS provider) lets requests reach the source during the freeze.
 */
public interface Router {

    /** From now on, requests for {@code route.hostname()} go where the route says. Idempotent. */
    void apply(HostnameRoute route);

    /**
     * Several routes at once (a switch-over's, inside its freeze): in one call where the router can, by default one by
     * one. Idempotent.
     */
    default void applyAll(List<HostnameRoute> routes) {
        routes.forEach(this::apply);
    }

    /** The hostname is no longer served. Idempotent. */
    void remove(String hostname);

    /**
     * Begins the environment's freeze: its new requests wait instead of failing, within the router's own bounds (time and
     * count). Returns once the requests in flight have finished: true, or false if they still ran at the bound.
     */
    boolean hold(String environment);

    /** True while the environment's freeze holds requests and has not run past its bound. */
    boolean holding(String environment);

    /** Ends the freeze: held requests go wherever the routes point now. Does nothing if the environment isn't held. */
    Freeze release(String environment);

    /** How long the freeze held requests, and how many (0 if the router can't tell). */
    record Freeze(long millis, int heldRequests) {
    }
}
