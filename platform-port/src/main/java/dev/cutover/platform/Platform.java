package dev.cutover.platform;

import java.util.List;
import java.util.Optional;

/**
 * The platform port: what Cutover's services need from the PaaS whose environments they move. Every operation is
 * idempotent (doing it twice is the same as doing it once) so a retried step is safe. Secrets (env var values,
 * database passwords) stay inside the platform: only {@link #credentials} hands one out, to the service that moves data.
 */
public interface Platform {

    Optional<Server> server(String name);

    Optional<Environment> environment(String name);

    List<Environment> environmentsOn(String server);

    /** Creates an empty environment on a server; returns the existing one if it was already created with this spec. */
    Environment createEnvironment(NewEnvironment spec);

    /**
     * Gives {@code target} the skeleton of {@code source}: configuration and env vars, formation, settings, domains and
     * certificates, notifiers, log drains, autoscalers, collaborators, and empty databases of the same plan and version.
     */
    void copySkeleton(String source, String target);

    /** Deploys a release and makes it the active one: its processes run with the environment's env vars. */
    void deploy(String environment, String release);

    void start(String environment);

    void stop(String environment);

    void setMaintenance(String environment, boolean on);

    /** A frozen environment's settings can't change until it is unfrozen. */
    void setFrozen(String environment, boolean on);

    void setProtected(String environment, boolean on);

    /**
     * Fences writes at every database of the environment, whoever writes: new writes are refused and open sessions
     * ended, so their transactions roll back ({@code fenced}); or lets writes in again. Returns once it holds.
     */
    void fenceWrites(String environment, boolean fenced);

    /** Makes this the owner's default environment of its name (the one its address points at). */
    void makeDefault(String environment);

    /** Stops the environment's processes, drops its databases and forgets it. */
    void destroy(String environment);

    /**
     * The schema migrations the environment's active release has that its databases lack ("2 index orders by customer"):
     * moving with them pending would move a half-migrated app.
     */
    List<String> pendingSchemaMigrations(String environment);

    /** How to reach one of the environment's databases, password included. */
    DatabaseCredentials credentials(String environment, String database);
}
