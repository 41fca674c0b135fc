package dev.cutover.orchestrator.migration;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/** The REST API for the portal, automation, the CLI and the dashboard. */
@Path("/migrations")
public class MigrationResource {

    @Inject
    Migrations migrations;

    @Inject
    MigrationViews views;

    @POST
    public Response create(MigrationRequest request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        Migrations.Created result = migrations.create(request, idempotencyKey, "api");
        MigrationView view = views.one(result.migration().id);
        return result.created()
                ? Response.created(URI.create("/migrations/" + view.id())).entity(view).build()
                : Response.ok(view).build();
    }

    @GET
    public List<MigrationView> list(@QueryParam("environment") String environment, @QueryParam("state") String state) {
        return views.list(environment, state);
    }

    @GET
    @Path("{id}")
    public MigrationView get(@PathParam("id") String id) {
        return views.one(uuid(id));
    }

    @POST
    @Path("{id}/confirm")
    public MigrationView confirm(@PathParam("id") String id) {
        migrations.confirm(uuid(id), "api");
        return views.one(uuid(id));
    }

    @POST
    @Path("{id}/abort")
    public Response abort(@PathParam("id") String id) {
        migrations.abort(uuid(id), "api");
        return Response.accepted(views.one(uuid(id))).build();
    }

    @POST
    @Path("{id}/rollback")
    public Response rollback(@PathParam("id") String id) {
        migrations.rollback(uuid(id), "api");
        return Response.accepted(views.one(uuid(id))).build();
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new Problem(404, "no migration " + id);
        }
    }
}
