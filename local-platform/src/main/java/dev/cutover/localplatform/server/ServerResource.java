package dev.cutover.localplatform.server;

import dev.cutover.platform.Server;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/servers")
@Tag(name = "servers")
public class ServerResource {

    @Inject
    Servers servers;

    @GET
    @Operation(summary = "Every server with its capacity and what is free")
    public List<Server> list() {
        return servers.all();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "One server: region, online, capacity, free capacity, PostgreSQL version")
    public Server get(@PathParam("name") String name) {
        return servers.one(name);
    }

    @PUT
    @Path("{name}")
    @Operation(summary = "Register a server or change its registration")
    public Server register(@PathParam("name") String name, ServerRegistration registration) {
        return servers.register(name, registration);
    }

    @PUT
    @Path("{name}/online")
    @Operation(summary = "Take a server offline or bring it back: {\"online\": false}")
    public Server online(@PathParam("name") String name, Map<String, Boolean> body) {
        return servers.setOnline(name, body != null && Boolean.TRUE.equals(body.get("online")));
    }
}
