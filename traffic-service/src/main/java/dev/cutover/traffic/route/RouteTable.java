package dev.cutover.traffic.route;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The routes in memory, for the router's event loop (which must not wait on the database). Kept equal to the route table. */
public final class RouteTable {

    private final Map<String, Route.RouteView> byHost = new ConcurrentHashMap<>();

    public Optional<Route.RouteView> lookup(String hostname) {
        return Optional.ofNullable(byHost.get(hostname));
    }

    public void put(Route.RouteView route) {
        byHost.put(route.hostname(), route);
    }

    public void remove(String hostname) {
        byHost.remove(hostname);
    }

    public void replaceAll(Iterable<Route.RouteView> routes) {
        byHost.clear();
        routes.forEach(this::put);
    }
}
