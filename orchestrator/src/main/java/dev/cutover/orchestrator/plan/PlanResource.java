package dev.cutover.orchestrator.plan;

import dev.cutover.orchestrator.migration.MigrationRequest;
import dev.cutover.orchestrator.tenant.Caller;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /plans}: the preflight report and the steps a migration would run, creating nothing. */
@Path("/plans")
@Tag(name = "plans", description = "Dry runs: what a migration would check and do, creating nothing")
public class PlanResource {

    @Inject
    Plans plans;

    @Inject
    JsonWebToken token;

    @POST
    @Operation(operationId = "planMigration", summary = "Plan a migration: every preflight check and the steps that would run",
            description = "Takes the same body as POST /migrations. Nothing is created; state is planned or refused.")
    @APIResponseSchema(value = Plans.PlanView.class, responseCode = "200", responseDescription = "The plan")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "422", ref = "UnprocessableEntity")
    @APIResponse(responseCode = "504", ref = "GatewayTimeout")
    public Plans.PlanView plan(MigrationRequest request) {
        return plans.plan(request, Caller.of(token));
    }
}
