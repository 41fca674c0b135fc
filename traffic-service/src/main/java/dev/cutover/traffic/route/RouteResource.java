package dev.cutover.traffic.route;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** The router's configuration: which environment answers which hostname. */
@Path("/routes")
public class RouteResource {

    @Inject
    Routes routes;

    @GET
    public List<Route.RouteView> list() {
        return routes.all();
    }

    @PUT
    @Path("{hostname}")
    public Response put(@PathParam("hostname") String hostname, Map<String, String> body) {
        String environment = body == null ? null : body.get("environment");
        if (!hostname.matches("[a-z0-9.-]+") || environment == null || environment.isBlank()) {
            return Response.status(422).type("application/problem+json").entity(Map.of("type", "about:blank",
                    "title", "Unprocessable Content", "status", 422,
                    "detail", "a route is a lower-case hostname and {\"environment\": \"name\"}")).build();
        }
        return Response.ok(routes.put(hostname, environment)).build();
    }

    @DELETE
    @Path("{hostname}")
    public Response delete(@PathParam("hostname") String hostname) {
        return routes.delete(hostname) ? Response.noContent().build() : Response.status(404).build();
    }
}
