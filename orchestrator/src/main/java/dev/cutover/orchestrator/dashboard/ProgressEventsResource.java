package dev.cutover.orchestrator.dashboard;

import dev.cutover.orchestrator.tenant.Caller;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** The progress stream as server-sent events, for the dashboard and any browser. */
@Path("/migrations/events")
@Tag(name = "migrations")
public class ProgressEventsResource {

    @Inject
    ProgressBroadcast broadcast;

    @Inject
    JsonWebToken token;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    // The messages are already CloudEvents JSON: written as they are, not encoded again.
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    @Operation(operationId = "migrationEvents", summary = "Follow the caller's tenant's migrations live: the progress stream as server-sent events",
            description = "Each event's data is one message of the progress topic as it is there: a CloudEvent (JSON) whose "
                    + "subject is the migration id, of a type the progress topic carries (docs/asyncapi.yaml), such as "
                    + "dev.cutover.migration.state-changed.v1. Only what happens after the subscription is sent; read "
                    + "GET /migrations/{id} for the state so far.")
    @APIResponse(responseCode = "200", description = "The stream, until the client leaves",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    public Multi<String> events() {
        return broadcast.subscribe(Caller.of(token));
    }
}
