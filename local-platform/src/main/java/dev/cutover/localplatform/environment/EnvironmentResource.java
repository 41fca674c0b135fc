package dev.cutover.localplatform.environment;

import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.Environment;
import dev.cutover.platform.NewEnvironment;
import dev.cutover.platform.PlatformException;
import dev.cutover.platform.local.LocalPlatformClient;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/environments")
@Tag(name = "environments")
public class EnvironmentResource {

    @Inject
    Environments environments;

    @GET
    @Operation(summary = "Environments, optionally only those on one server")
    public List<Environment> list(@QueryParam("server") String server) {
        return environments.list(server);
    }

    @GET
    @Path("{name}")
    @Operation(summary = "One environment; env var values and private keys are never shown")
    public Environment get(@PathParam("name") String name) {
        return environments.one(name);
    }

    @POST
    @Operation(summary = "Create an empty environment on a server (the same request again returns it)")
    public Response create(NewEnvironment spec) {
        return Response.status(Response.Status.CREATED).entity(environments.create(spec)).build();
    }

    @PUT
    @Path("{name}/skeleton")
    @Operation(summary = "Set parts of the skeleton: env vars (write-only), formation, settings, domains, notifiers, log drains, autoscalers, collaborators")
    public Environment skeleton(@PathParam("name") String name, SkeletonUpdate update) {
        return environments.updateSkeleton(name, required(update));
    }

    @POST
    @Path("{name}/skeleton/copy")
    @Operation(summary = "Copy another environment's skeleton (env vars, domains, databases of the same plan and version, release) onto this one")
    public Response copy(@PathParam("name") String name, Map<String, String> body) {
        String from = required(body).get("from");
        if (from == null) {
            throw new PlatformException(422, "say which environment to copy: {\"from\": \"name\"}");
        }
        environments.copySkeleton(name, from);
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/databases")
    @Operation(summary = "Add a PostgreSQL database addon on the environment's server")
    public Response addDatabase(@PathParam("name") String name, NewDatabase spec) {
        return Response.status(Response.Status.CREATED).entity(environments.addDatabase(name, spec)).build();
    }

    @GET
    @Path("{name}/databases/{database}/credentials")
    // Only the services that log in to an environment's databases (data-sync, preflight) carry this role.
    @RolesAllowed("credentials")
    @Operation(summary = "How to log in to a database (for the service that moves data; never logged)")
    public DatabaseCredentials credentials(@PathParam("name") String name, @PathParam("database") String database) {
        return environments.credentials(name, database);
    }

    @PUT
    @Path("{name}/write-fence")
    @Operation(summary = "Fence writes at every database of the environment, or lift the fence: {\"fenced\": true}")
    public Response writeFence(@PathParam("name") String name, Map<String, Boolean> body) {
        Boolean fenced = required(body).get("fenced");
        if (fenced == null) {
            throw new PlatformException(422, "say whether writes are fenced: {\"fenced\": true}");
        }
        environments.fenceWrites(name, fenced);
        return Response.noContent().build();
    }

    @GET
    @Path("{name}/schema-migrations")
    @Operation(summary = "The schema migrations the active release has that the environment's databases lack")
    public LocalPlatformClient.PendingMigrations schemaMigrations(@PathParam("name") String name) {
        return new LocalPlatformClient.PendingMigrations(environments.pendingSchemaMigrations(name));
    }

    @POST
    @Path("{name}/deployments")
    @Operation(summary = "Deploy a release and make it the active one: {\"release\": \"sample-app-1.0\"}")
    public Response deploy(@PathParam("name") String name, Map<String, String> body) {
        environments.deploy(name, required(body).get("release"));
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/start")
    @Operation(summary = "Start the active release")
    public Response start(@PathParam("name") String name) {
        environments.start(name);
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/stop")
    @Operation(summary = "Stop the environment's processes")
    public Response stop(@PathParam("name") String name) {
        environments.stop(name);
        return Response.noContent().build();
    }

    @PATCH
    @Path("{name}/flags")
    @Operation(summary = "Set maintenance, frozen, protected or default: {\"frozen\": true}")
    public Environment flags(@PathParam("name") String name, Map<String, Boolean> flags) {
        return environments.setFlags(name, flags);
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Stop the environment, drop its databases and forget it")
    public Response destroy(@PathParam("name") String name) {
        environments.destroy(name);
        return Response.noContent().build();
    }

    private static <T> T required(T body) {
        if (body == null) {
            throw new PlatformException(400, "a JSON body is required");
        }
        return body;
    }
}
