package dev.cutover.platform.router;

import java.time.OffsetDateTime;

/**
 * A hostname and the environment that answers it. After a switch-over the source's own platform address forwards to
 * the target until {@code forwardUntil}, then answers "moved" to {@code movedTo}; both are null for an ordinary route.
 */
public record HostnameRoute(String hostname, String environment, OffsetDateTime forwardUntil, String movedTo) {

    public HostnameRoute(String hostname, String environment) {
        this(hostname, environment, null, null);
    }

    /** True once the forwarding period is over and the address only says where the environment went. */
    public boolean moved(OffsetDateTime now) {
        return forwardUntil != null && now.isAfter(forwardUntil);
    }
}
