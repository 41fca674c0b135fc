package dev.cutover.orchestrator.migration;

import dev.cutover.kit.problem.Problem;
import dev.cutover.orchestrator.tenant.Caller;
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
import java.util.function.BiConsumer;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The REST API for the portal, automation, the CLI and the dashboard. */
@Path("/migrations")
@Tag(name = "migrations", description = "Start a migration, follow it, confirm the switch-over, abort it, roll it back")
public class MigrationResource {

    @Inject
    Migrations migrations;

    @Inject
    MigrationViews views;

    /** The verified token of the request: who acts (the history's actor) and for which tenant. */
    @Inject
    JsonWebToken token;

    @POST
    @Operation(operationId = "createMigration", summary = "Start a migration",
            description = "Preflight starts at once. The same Idempotency-Key again answers 200 with the migration it created.")
    @APIResponse(responseCode = "201", description = "Created; Location is its URL",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MigrationView.class)))
    @APIResponse(responseCode = "200", description = "The migration created earlier with this Idempotency-Key",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MigrationView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableEntity")
    public Response create(MigrationRequest request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        Migrations.Created result = migrations.create(request, idempotencyKey, caller());
        MigrationView view = views.one(result.migration().id, caller());
        return result.created()
                ? Response.created(URI.create("/migrations/" + view.id())).entity(view).build()
                : Response.ok(view).build();
    }

    @GET
    @Operation(operationId = "listMigrations", summary = "The migrations, newest first, optionally of one environment or in one state")
    @APIResponse(responseCode = "200", description = "The migrations",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MigrationView.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public List<MigrationView> list(@QueryParam("environment") String environment, @QueryParam("state") String state) {
        return views.list(environment, state, caller());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getMigration", summary = "A migration: state, steps with timings and figures, preflight report, history")
    @APIResponseSchema(value = MigrationView.class, responseCode = "200", responseDescription = "The migration")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public MigrationView get(@PathParam("id") String id) {
        return views.one(uuid(id), caller());
    }

    @GET
    @Path("{id}/samples")
    @Operation(operationId = "getMigrationSamples", summary = "What its steps reported over time: each database's replication lag, each"
            + " table copied; per step and database at most 500 points, thinned evenly over the whole span")
    @APIResponse(responseCode = "200", description = "The points, oldest first",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MigrationView.SampleView.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public List<MigrationView.SampleView> samples(@PathParam("id") String id) {
        return views.samples(uuid(id), caller());
    }

    @POST
    @Path("{id}/force")
    @Operation(operationId = "forceMigration", summary = "Switch over now, although the predicted freeze is over the migration's downtime budget")
    @APIResponseSchema(value = MigrationView.class, responseCode = "200", responseDescription = "Forced: the freeze starts")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public MigrationView force(@PathParam("id") String id) {
        return acted(id, migrations::force);
    }

    @POST
    @Path("{id}/confirm")
    @Operation(operationId = "confirmMigration", summary = "Confirm a migration awaiting confirmation: the switch-over goes ahead")
    @APIResponseSchema(value = MigrationView.class, responseCode = "200", responseDescription = "Confirmed")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public MigrationView confirm(@PathParam("id") String id) {
        return acted(id, migrations::confirm);
    }

    @POST
    @Path("{id}/abort")
    @Operation(operationId = "abortMigration", summary = "Abort before the switch-over: every step done is undone, newest first;"
            + " with force=true, end a migration that needs attention as it stands, its failed compensation given up")
    @APIResponse(responseCode = "202", description = "Aborting (or, forced, aborted)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MigrationView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response abort(@PathParam("id") String id, @QueryParam("force") boolean force) {
        return Response.accepted(acted(id, (migration, caller) -> migrations.abort(migration, caller, force))).build();
    }

    @POST
    @Path("{id}/pause")
    @Operation(operationId = "pauseMigration", summary = "Pause a live migration waiting before its switch-over: its targets stop"
            + " applying the replication (the slots keep every change; lag and WAL warnings go on) until resumed")
    @APIResponse(responseCode = "200", description = "Paused",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MigrationView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public MigrationView pause(@PathParam("id") String id) {
        return acted(id, migrations::pause);
    }

    @POST
    @Path("{id}/resume")
    @Operation(operationId = "resumeMigration", summary = "Resume a paused migration: its targets catch up from where they stopped")
    @APIResponse(responseCode = "200", description = "Resumed",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MigrationView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public MigrationView resume(@PathParam("id") String id) {
        return acted(id, migrations::resume);
    }

    @POST
    @Path("{id}/repair")
    @Operation(operationId = "repairMigration", summary = "A migration that needs attention tries what failed again")
    @APIResponse(responseCode = "200", description = "Repairing",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MigrationView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public MigrationView repair(@PathParam("id") String id) {
        return acted(id, migrations::repair);
    }

    @POST
    @Path("{id}/rollback")
    @Operation(operationId = "rollbackMigration", summary = "Roll back after the switch-over: data and traffic go back to the source")
    @APIResponse(responseCode = "202", description = "Rolling back",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MigrationView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response rollback(@PathParam("id") String id) {
        return Response.accepted(acted(id, migrations::rollback)).build();
    }

    @POST
    @Path("{id}/finalize")
    @Operation(operationId = "finalizeMigration", summary = "Finalize a completed migration now: the way back, the old address's"
            + " forwarding and the source environment are removed, and the migration can no longer be rolled back; on a migration"
            + " whose cleanup stopped on a failure, try that cleanup again")
    @APIResponse(responseCode = "202", description = "Finalizing (the state goes finalizing, then finalized)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MigrationView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response finalizeMigration(@PathParam("id") String id) {
        return Response.accepted(acted(id, migrations::finalizeMigration)).build();
    }

    /** Does what is asked of migration {@code id} as the caller, then shows it. */
    private MigrationView acted(String id, BiConsumer<UUID, Caller> action) {
        action.accept(uuid(id), caller());
        return views.one(uuid(id), caller());
    }

    private Caller caller() {
        return Caller.of(token);
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new Problem(404, "no migration " + id);
        }
    }
}
