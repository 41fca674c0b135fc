package dev.cutover.traffic.route;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/** The route table: stored in PostgreSQL (routes survive a restart), mirrored in memory once a change commits. */
@ApplicationScoped
public class Routes {

    private final RouteTable table = new RouteTable();

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Produces
    @Singleton
    RouteTable table() {
        return table;
    }

    @Transactional
    void load(@Observes StartupEvent ignored) {
        table.replaceAll(Route.<Route>listAll().stream().map(Route::view).toList());
    }

    @Transactional
    public List<Route.RouteView> all() {
        return Route.<Route>listAll().stream().map(Route::view).toList();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public List<Route> of(String environment) {
        return Route.list("environment", environment);
    }

    @Transactional
    public Route.RouteView put(String hostname, String environment) {
        Route route = Optional.<Route>ofNullable(Route.findById(hostname)).orElseGet(Route::new);
        route.hostname = hostname;
        route.environment = environment;
        route.forwardUntil = null;
        route.movedTo = null;
        route.persist();
        changed(route);
        return route.view();
    }

    @Transactional
    public boolean delete(String hostname) {
        Route route = Route.findById(hostname);
        if (route == null) {
            return false;
        }
        route.delete();
        transactions.registerInterposedSynchronization(afterCommit(() -> table.remove(hostname)));
        return true;
    }

    /** Mirrors a changed route into memory once its transaction commits, so the router never sees an uncommitted route. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void changed(Route route) {
        Route.RouteView view = route.view();
        transactions.registerInterposedSynchronization(afterCommit(() -> table.put(view)));
    }

    private static Synchronization afterCommit(Runnable action) {
        return new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        };
    }
}
