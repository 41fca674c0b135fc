package dev.cutover.orchestrator.notify;

import io.smallrye.config.ConfigMapping;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** How the notifiers are told (defaults and comments: application.properties, README). */
@ConfigMapping(prefix = "cutover.notify")
public interface NotifySettings {

    /** Where {@code mailto:} notifiers are sent: a webhook that turns the JSON into an e-mail (README). */
    Optional<URI> mailBridge();

    /** Tries per notification before it is given up. */
    int attempts();

    /** The first retry's delay; each next one doubles. */
    Duration backoff();

    /** How long one delivery may take. */
    Duration timeout();
}
