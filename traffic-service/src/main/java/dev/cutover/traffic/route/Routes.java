package dev.cutover.traffic.route;

import dev.cutover.platform.router.HostnameRoute;
import dev.cutover.platform.router.Router;
import dev.cutover.platform.router.RouterException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The route table: stored in PostgreSQL (routes survive a restart) and handed to the router. A change reaches the router
 * inside its transaction, so a router that refuses it rolls the change back; at start every stored route is handed
 * over again, which also brings back in line a router that took a change whose commit then failed.
 */
@ApplicationScoped
public class Routes {

    private static final Logger LOG = Logger.getLogger(Routes.class);

    @Inject
    Router router;

    @Transactional
    void load(@Observes StartupEvent ignored) {
        // Locked while they are handed over: a switch-over handled meanwhile (the consumers start with the service) waits,
        // then hands over its newer routes; read without the lock, this could hand the router the old ones after them.
        for (Route route : Route.<Route>find("order by hostname").withLock(LockModeType.PESSIMISTIC_WRITE).list()) {
            try {
                router.apply(route.view());
            } catch (RouterException e) {
                // The service still starts: the routes it can't hand over now are handed over with their next change.
                LOG.errorf("route %s is stored but the router did not take it: %s", route.hostname, e.getMessage());
            }
        }
    }

    @Transactional
    public List<HostnameRoute> all() {
        return Route.<Route>listAll().stream().map(Route::view).toList();
    }

    /**
     * The environment's routes, locked until the transaction ends: a change hands a route to the router before its
     * update reaches the database, so without the lock the start's hand-over (load) could hand over the old one after.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Route> of(String environment) {
        return Route.<Route>find("environment = ?1 order by hostname", environment).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    @Transactional
    public HostnameRoute put(String hostname, String environment) {
        Route route = stored(hostname, environment);
        changed(route);
        return route.view();
    }

    /** The hostname's route stored, pointing at the environment; the router is not told yet (see {@link #changed}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Route stored(String hostname, String environment) {
        Route route = Optional.<Route>ofNullable(Route.findById(hostname)).orElseGet(Route::new);
        route.hostname = hostname;
        route.environment = environment;
        route.forwardUntil = null;
        route.movedTo = null;
        route.persist();
        return route;
    }

    @Transactional
    public boolean delete(String hostname) {
        Route route = Route.findById(hostname);
        if (route == null) {
            return false;
        }
        route.delete();
        router.remove(hostname);
        return true;
    }

    /** Hands a changed route to the router; if the router refuses, the transaction rolls back. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void changed(Route route) {
        router.apply(route.view());
    }

    /** Hands several changed routes to the router at once (a switch-over's); if it refuses, the transaction rolls back. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void changed(List<Route> changed) {
        router.applyAll(changed.stream().map(Route::view).toList());
    }

    /**
     * Hands the router these hostnames' stored routes again (after a change it took partly was rolled back). In a
     * transaction of its own, so a router that still refuses does not roll back the caller's.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void resync(Collection<String> hostnames) {
        for (String hostname : hostnames) {
            Route route = Route.findById(hostname);
            if (route == null) {
                router.remove(hostname);
            } else {
                router.apply(route.view());
            }
        }
    }
}
