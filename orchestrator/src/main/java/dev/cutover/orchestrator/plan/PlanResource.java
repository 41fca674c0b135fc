package dev.cutover.orchestrator.plan;

import dev.cutover.orchestrator.migration.MigrationRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** {@code POST /plans}: the preflight report and the steps a migration would run, creating nothing. */
@Path("/plans")
public class PlanResource {

    @Inject
    Plans plans;

    @POST
    public Plans.PlanView plan(MigrationRequest request) {
        return plans.plan(request);
    }
}
