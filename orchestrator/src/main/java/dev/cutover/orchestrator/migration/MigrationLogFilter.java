package dev.cutover.orchestrator.migration;

import dev.cutover.kit.log.LogContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Every line logged while a REST request addresses a migration ({@code /migrations/{id}...}) carries its id in the
 * MDC ({@link LogContext#MIGRATION_ID}). The MDC lives in the request's own Vert.x context, so it follows the request
 * to the worker thread and ends with it. A request that changes a migration (create, confirm, abort, rollback) is
 * logged once with its answer's status: method and path only, never a body or a header.
 */
@Provider
public class MigrationLogFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private static final Logger LOG = Logger.getLogger(MigrationLogFilter.class);
    private static final Pattern MIGRATION_PATH = Pattern.compile("/?migrations(?:/([0-9a-fA-F-]{36})((?:/[a-z-]+)*))?/?");
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    @Override
    public void filter(ContainerRequestContext request) {
        String id = migrationId(request.getUriInfo().getPath());
        if (id != null) {
            MDC.put(LogContext.MIGRATION_ID, id);
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        try {
            String path = request.getUriInfo().getPath();
            if (READS.contains(request.getMethod()) || !MIGRATION_PATH.matcher(path).matches()) {
                return;
            }
            if (MDC.get(LogContext.MIGRATION_ID) == null && response.getEntity() instanceof MigrationView created) {
                MDC.put(LogContext.MIGRATION_ID, created.id().toString());
            }
            LOG.infof("%s %s answered %d", request.getMethod(), path.startsWith("/") ? path : "/" + path, response.getStatus());
        } finally {
            MDC.remove(LogContext.MIGRATION_ID);
        }
    }

    /** The migration id a path addresses, or {@code null}; only a well-formed id goes into the logs. */
    static String migrationId(String path) {
        Matcher m = MIGRATION_PATH.matcher(path == null ? "" : path);
        if (!m.matches() || m.group(1) == null) {
            return null;
        }
        try {
            return UUID.fromString(m.group(1)).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
