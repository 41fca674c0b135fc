package dev.cutover.orchestrator.plan;

import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.preflight.CheckResult;
import dev.cutover.contracts.preflight.RunPreflight;
import dev.cutover.kit.outbox.Outbox;
import dev.cutover.orchestrator.migration.MigrationRequest;
import dev.cutover.kit.problem.Problem;
import dev.cutover.orchestrator.saga.MigrationSaga;
import dev.cutover.orchestrator.tenant.Caller;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Dry runs: preflight (the same checks, over Kafka) and the steps that would run; nothing is created on the platform. */
@ApplicationScoped
public class Plans {

    @Inject
    Outbox outbox;

    @ConfigProperty(name = "cutover.plan.timeout")
    Duration timeout;

    /** The answer to a dry run. */
    public record PlanView(UUID id, String environment, String targetServer, String targetEnvironment, String strategy, boolean oneWay,
                           OffsetDateTime switchOverAt, OffsetDateTime switchOverUntil, String state, List<CheckResult> checks,
                           List<String> steps) {
    }

    /** Plans for {@code caller}: preflight holds the environment to the caller's tenant, as a migration's would. */
    public PlanView plan(MigrationRequest request, Caller caller) {
        if (request == null) {
            throw new Problem(422, "a plan needs an environment and a targetServer");
        }
        request.check("a plan");
        UUID id = QuarkusTransaction.requiringNew().call(() -> {
            Plan p = new Plan();
            p.id = UUID.randomUUID();
            p.environment = request.environment();
            p.targetServer = request.targetServer();
            p.targetName = request.newName() != null ? request.newName() : request.environment() + "-" + request.targetServer();
            p.strategy = request.strategy() == null ? Strategy.LIVE : request.strategy();
            p.state = "checking";
            p.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            p.oneWay = Boolean.TRUE.equals(request.oneWay());
            p.switchOverAt = request.switchOverAt();
            p.switchOverUntil = request.switchOverUntil();
            p.persist();
            outbox.send(new RunPreflight(p.id, p.environment, p.targetServer, p.strategy, false, null, p.oneWay, caller.scope()));
            return p.id;
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            PlanView view = QuarkusTransaction.requiringNew().call(() -> view(Plan.findById(id)));
            if (!view.state().equals("checking")) {
                return view;
            }
            sleep();
        }
        throw new Problem(504, "preflight did not answer within " + timeout.toSeconds() + " s");
    }

    /** Preflight's answer about a plan; false if {@code id} is not a plan. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean record(UUID id, List<CheckResult> checks, boolean passed) {
        Plan p = Plan.findById(id);
        if (p == null) {
            return false;
        }
        p.checks = checks;
        p.state = passed ? "planned" : "refused";
        return true;
    }

    private static PlanView view(Plan p) {
        return new PlanView(p.id, p.environment, p.targetServer, p.targetName, p.strategy.name().toLowerCase(), p.oneWay,
                p.switchOverAt, p.switchOverUntil, p.state,
                p.checks == null ? List.of() : p.checks,
                MigrationSaga.STEPS.stream().map(s -> s.step().label()).toList());
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(503, "interrupted");
        }
    }
}
