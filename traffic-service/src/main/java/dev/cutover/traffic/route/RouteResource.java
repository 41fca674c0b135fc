package dev.cutover.traffic.route;

import dev.cutover.kit.problem.Problem;
import dev.cutover.kit.problem.ProblemMapper;
import dev.cutover.platform.router.HostnameRoute;
import dev.cutover.platform.router.RouterException;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The router's configuration: which environment answers which hostname. */
@Path("/routes")
public class RouteResource {

    @Inject
    Routes routes;

    @GET
    public List<HostnameRoute> list() {
        return routes.all();
    }

    @PUT
    @Path("{hostname}")
    public Response put(@PathParam("hostname") String hostname, Map<String, String> body) {
        String environment = body == null ? null : body.get("environment");
        if (!hostname.matches("[a-z0-9.-]+") || environment == null || environment.isBlank()) {
            throw new Problem(422, "a route is a lower-case hostname and {\"environment\": \"name\"}");
        }
        return Response.ok(routes.put(hostname, environment)).build();
    }

    @DELETE
    @Path("{hostname}")
    public Response delete(@PathParam("hostname") String hostname) {
        return routes.delete(hostname) ? Response.noContent().build() : Response.status(404).build();
    }

    /** The router refused the change: nothing was stored. */
    @ServerExceptionMapper
    public Response routerFailed(RouterException error) {
        return ProblemMapper.problem(502, error.getMessage() + "; the route was not changed");
    }
}
