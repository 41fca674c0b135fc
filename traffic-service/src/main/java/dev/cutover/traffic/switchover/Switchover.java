package dev.cutover.traffic.switchover;

import dev.cutover.contracts.Step;
import dev.cutover.contracts.migration.CleanupFailed;
import dev.cutover.contracts.migration.CompensationFailed;
import dev.cutover.contracts.traffic.EndForwarding;
import dev.cutover.contracts.traffic.ForwardingEnded;
import dev.cutover.contracts.traffic.HoldTraffic;
import dev.cutover.contracts.traffic.UndoHoldTraffic;
import dev.cutover.contracts.traffic.SwitchTraffic;
import dev.cutover.contracts.traffic.TrafficHeld;
import dev.cutover.contracts.traffic.TrafficHoldFailed;
import dev.cutover.contracts.traffic.TrafficHoldCompensated;
import dev.cutover.contracts.traffic.TrafficSwitchCompensated;
import dev.cutover.contracts.traffic.TrafficSwitchFailed;
import dev.cutover.contracts.traffic.TrafficSwitched;
import dev.cutover.contracts.traffic.UndoSwitchTraffic;
import dev.cutover.kit.inbox.Deliveries;
import dev.cutover.kit.outbox.Outbox;
import dev.cutover.platform.router.HostnameRoute;
import dev.cutover.platform.router.Router;
import dev.cutover.platform.router.RouterException;
import dev.cutover.traffic.route.Route;
import dev.cutover.traffic.route.Routes;
import dev.cutover.platform.PlatformException;
import dev.cutover.platform.router.Backends;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The traffic side of a switch-over: hold the environment's requests (the freeze), point its routes at the target and
 * release the held requests there, keep its own platform address forwarding for the retention period (until the
 * migration is finalized); or undo it.
 * Commands arrive from Kafka.
 */
@ApplicationScoped
public class Switchover {

    private static final Logger LOG = Logger.getLogger(Switchover.class);

    @Inject
    Deliveries deliveries;

    @Inject
    Outbox outbox;

    @Inject
    Routes routes;

    @Inject
    Router router;

    @Inject
    Backends backends;

    /** Platform addresses are {@code <environment>.<apps-domain>}; the old one keeps forwarding after a switch-over. */
    @ConfigProperty(name = "cutover.router.apps-domain")
    String appsDomain;

    @ConfigProperty(name = "cutover.retention")
    Duration retention;

    @Incoming("commands")
    @Blocking(ordered = false)
    public void receive(String record) {
        deliveries.deliver("commands", record, this);
    }

    public void on(UndoHoldTraffic c) {
        try {
            router.release(c.environment());
            outbox.send(new TrafficHoldCompensated(c.migrationId()));
        } catch (RouterException e) {
            outbox.send(new CompensationFailed(c.migrationId(), Step.FREEZE, "releasing the requests to " + c.environment()
                    + " failed: " + e.getMessage()));
        }
    }

    // The steps inside the freeze send no StepStarted: each event costs the orchestrator a transaction on the freeze's path.
    public void on(HoldTraffic c) {
        try {
            // Looked up now, before the freeze: the switch-over then finds the target's address known.
            if (backends.resolve(c.switchTo()).isEmpty()) {
                outbox.send(new TrafficHoldFailed(c.migrationId(), c.switchTo() + " does not run: nothing was held, the source keeps serving"));
                return;
            }
            if (!router.hold(c.environment())) {
                // A request still running at the bound may write after the catch-up point: not a freeze to switch in.
                router.release(c.environment());
                outbox.send(new TrafficHoldFailed(c.migrationId(), "requests to " + c.environment()
                        + " were still in flight at the freeze's bound: the source keeps serving"));
                return;
            }
        } catch (RouterException | PlatformException e) {
            outbox.send(new TrafficHoldFailed(c.migrationId(), e.getMessage()));
            return;
        }
        outbox.send(new TrafficHeld(c.migrationId()));
    }

    public void on(SwitchTraffic c) {
        try {
            switchTraffic(c);
        } catch (RouterException | PlatformException e) {
            // Before the routes changed (after, switchTraffic answers itself): the source kept its routes.
            outbox.send(new TrafficSwitchFailed(c.migrationId(), e.getMessage() + ": the source kept serving"));
        }
    }

    private void switchTraffic(SwitchTraffic c) {
        if (!router.holding(c.environment())) {
            outbox.send(new TrafficSwitchFailed(c.migrationId(), "the freeze of " + c.environment()
                    + " ended before the switch-over (it ran past its bound): the source kept serving"));
            return;
        }
        long started = System.nanoTime();
        if (backends.known(c.targetEnvironment()) == null && backends.resolve(c.targetEnvironment()).isEmpty()) {
            router.release(c.environment());
            outbox.send(new TrafficSwitchFailed(c.migrationId(), "target " + c.targetEnvironment() + " does not run: the source kept serving"));
            return;
        }
        String oldAddress = c.environment() + "." + appsDomain;
        String newAddress = c.targetEnvironment() + "." + appsDomain;
        List<String> addresses;
        long resolved = System.nanoTime();
        try {
            // Committed on its own before the release, so held requests find the new routes.
            addresses = QuarkusTransaction.requiringNew().call(() -> pointAtTarget(c));
        } catch (RuntimeException e) {
            RouterException refused = RouterException.in(e).orElseThrow(() -> e);
            // The stored routes stayed on the source; the router may have taken some of the new ones before refusing.
            List<String> touched = new ArrayList<>(routes.of(c.environment()).stream().map(r -> r.hostname).toList());
            touched.add(newAddress);
            try {
                routes.resync(touched);
            } catch (RouterException stillRefusing) {
                // The held requests are released either way; the router gets every stored route again at the next start.
                LOG.errorf("router still refuses the routes of %s: %s", c.environment(), stillRefusing.getMessage());
            }
            releaseIfItCan(c.environment());
            outbox.send(new TrafficSwitchFailed(c.migrationId(), refused.getMessage() + ": the source kept serving"));
            return;
        }
        long pointed = System.nanoTime();
        // The routes point at the target now, in the router too: whatever the release answers, the switch is done.
        Router.Freeze freeze = releaseIfItCan(c.environment());
        // Where the freeze's last part went, for an operator comparing it with the data sync's.
        LOG.infof("switched %s to %s: target looked up in %d ms, routes changed in %d ms, %d held requests released in %d ms",
                c.environment(), c.targetEnvironment(), (resolved - started) / 1_000_000, (pointed - resolved) / 1_000_000,
                freeze.heldRequests(), (System.nanoTime() - pointed) / 1_000_000);
        // Custom domains point at the platform address by CNAME: that record is the user's to change.
        List<String> dns = addresses.stream().filter(h -> !h.endsWith("." + appsDomain))
                .map(h -> h + " CNAME " + oldAddress + " -> " + newAddress).toList();
        outbox.send(new TrafficSwitched(c.migrationId(), addresses, freeze.millis(), freeze.heldRequests(), dns));
    }

    /**
     * Releases the held requests; a router that fails to (it restarted, and held nothing since) is logged, not an error:
     * its own bound releases whatever it still holds.
     */
    private Router.Freeze releaseIfItCan(String environment) {
        try {
            return router.release(environment);
        } catch (RouterException e) {
            LOG.warnf("releasing the requests held for %s failed: %s", environment, e.getMessage());
            return new Router.Freeze(0, 0);
        }
    }

    private List<String> pointAtTarget(SwitchTraffic c) {
        List<Route> current = routes.of(c.environment());
        SwitchRecord record = SwitchRecord.findById(c.migrationId());
        if (record == null) {
            record = new SwitchRecord();
            record.migrationId = c.migrationId();
            record.environment = c.environment();
            record.target = c.targetEnvironment();
            record.previous = current.stream().map(Route::view).toList();
            record.persist();
        }
        String oldAddress = c.environment() + "." + appsDomain;
        String newAddress = c.targetEnvironment() + "." + appsDomain;
        List<String> addresses = new ArrayList<>();
        for (Route route : current) {
            route.environment = c.targetEnvironment();
            if (route.hostname.equals(oldAddress)) {
                route.forwardUntil = OffsetDateTime.now().plus(retention);
                route.movedTo = newAddress;
            }
            addresses.add(route.hostname);
        }
        List<Route> changed = new ArrayList<>(current);
        changed.add(routes.stored(newAddress, c.targetEnvironment()));
        addresses.add(newAddress);
        // One call to the router for all of them: inside the freeze, each call is time the held requests wait.
        routes.changed(changed);
        return addresses;
    }

    public void on(UndoSwitchTraffic c) {
        Router.Freeze freeze;
        try {
            freeze = pointBack(c);
        } catch (RuntimeException e) {
            RouterException refused = RouterException.in(e).orElseThrow(() -> e);
            outbox.send(new CompensationFailed(c.migrationId(), Step.SWITCH_OVER, "pointing the routes of " + c.environment()
                    + " back failed: " + refused.getMessage()));
            return;
        }
        outbox.send(new TrafficSwitchCompensated(c.migrationId(), freeze.millis(), freeze.heldRequests()));
    }

    /**
     * Finalize: the old platform address stops forwarding (it answers nothing from now on, as after its retention), and the
     * routes kept to point back are forgotten. Custom domains stay: they point at the target.
     */
    public void on(EndForwarding c) {
        String oldAddress = c.environment() + "." + appsDomain;
        try {
            List<String> removed = QuarkusTransaction.requiringNew().call(() -> {
                SwitchRecord.deleteById(c.migrationId());
                Route forwarding = Route.findById(oldAddress);
                return forwarding != null && forwarding.movedTo != null && routes.delete(oldAddress) ? List.of(oldAddress) : List.<String>of();
            });
            outbox.send(new ForwardingEnded(c.migrationId(), removed));
        } catch (RuntimeException e) {
            RouterException refused = RouterException.in(e).orElseThrow(() -> e);
            outbox.send(new CleanupFailed(c.migrationId(), Step.SWITCH_OVER, "ending the forwarding of " + oldAddress + " failed: "
                    + refused.getMessage()));
        }
    }

    /** Restores the routes the switch-over changed and releases what is held; returns the freeze it ended (a rollback's). */
    private Router.Freeze pointBack(UndoSwitchTraffic c) {
        QuarkusTransaction.requiringNew().run(() -> {
            SwitchRecord record = SwitchRecord.findById(c.migrationId());
            if (record == null) {
                return;
            }
            List<Route> restored = new ArrayList<>();
            for (HostnameRoute previous : record.previous) {
                // Locked before the router is told, as Routes.of does.
                Route route = Route.findById(previous.hostname(), LockModeType.PESSIMISTIC_WRITE);
                if (route == null) {
                    route = new Route();
                    route.hostname = previous.hostname();
                }
                route.environment = previous.environment();
                route.forwardUntil = previous.forwardUntil();
                route.movedTo = previous.movedTo();
                route.persist();
                restored.add(route);
            }
            routes.changed(restored);
            routes.delete(record.target + "." + appsDomain);
            record.delete();
        });
        // Requests held on either side (a rollback holds the target's) now go where the restored routes point.
        Router.Freeze source = router.release(c.environment());
        Router.Freeze target = router.release(c.targetEnvironment());
        return target.millis() > 0 ? target : source;
    }
}
