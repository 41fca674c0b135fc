package dev.cutover.edge.control;

import dev.cutover.edge.proxy.EdgeRouter;
import dev.cutover.kit.problem.ProblemMapper;
import dev.cutover.platform.router.HostnameRoute;
import dev.cutover.platform.router.Router;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The control API the traffic service drives the router with ({@link dev.cutover.platform.router.EdgeRouterClient}): the
 * {@link Router} operations over HTTP. Cutover's services and an admin only (application.properties).
 */
@Path("/")
@Blocking
public class RouterResource {

    @Inject
    EdgeRouter router;

    /** What a route is given: where the hostname goes, and for an old address, until when it forwards and to where. */
    public record RouteBody(String environment, OffsetDateTime forwardUntil, String movedTo) {
    }

    @GET
    @Path("routes")
    public List<HostnameRoute> routes() {
        return router.routes();
    }

    @PUT
    @Path("routes/{hostname}")
    public Response apply(@PathParam("hostname") String hostname, RouteBody body) {
        if (body == null || body.environment() == null || body.environment().isBlank()) {
            return unprocessable("a route needs an environment");
        }
        HostnameRoute route = new HostnameRoute(hostname.toLowerCase(), body.environment(), body.forwardUntil(), body.movedTo());
        router.apply(route);
        return Response.ok(route).build();
    }

    /** Several routes at once (a switch-over's), each naming its hostname: all taken, or none if one is incomplete. */
    public record NamedRouteBody(String hostname, String environment, OffsetDateTime forwardUntil, String movedTo) {
    }

    @PUT
    @Path("routes")
    public Response applyAll(List<NamedRouteBody> body) {
        if (body == null) {
            return unprocessable("a list of routes is needed");
        }
        List<HostnameRoute> routes = new ArrayList<>();
        for (NamedRouteBody r : body) {
            if (r == null || r.hostname() == null || r.hostname().isBlank() || r.environment() == null || r.environment().isBlank()) {
                return unprocessable("every route needs a hostname and an environment");
            }
            routes.add(new HostnameRoute(r.hostname().toLowerCase(), r.environment(), r.forwardUntil(), r.movedTo()));
        }
        router.applyAll(routes);
        return Response.ok(routes).build();
    }

    @DELETE
    @Path("routes/{hostname}")
    public Response remove(@PathParam("hostname") String hostname) {
        router.remove(hostname.toLowerCase());
        return Response.noContent().build();
    }

    /** Begins the freeze; answers once nothing is in flight ({@code drained}), or at the hold bound if something still is. */
    @POST
    @Path("freezes/{environment}")
    public Map<String, Object> hold(@PathParam("environment") String environment) {
        return Map.of("environment", environment, "drained", router.hold(environment));
    }

    @GET
    @Path("freezes/{environment}")
    public Map<String, Object> holding(@PathParam("environment") String environment) {
        return Map.of("environment", environment, "holding", router.holding(environment));
    }

    /** Ends the freeze: the held requests go where the routes point now. */
    @DELETE
    @Path("freezes/{environment}")
    public Router.Freeze release(@PathParam("environment") String environment) {
        return router.release(environment);
    }

    private static Response unprocessable(String detail) {
        return ProblemMapper.problem(422, detail);
    }
}
