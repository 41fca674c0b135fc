package dev.cutover.orchestrator.tenant;

import jakarta.json.JsonString;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who asks, as far as tenants go: a person or a portal acting for one tenant (the token's {@code tenant} claim), or an
 * identity of every tenant (role admin, or Cutover's own services). {@code subject} is who the history says did it.
 */
public record Caller(String subject, String tenant, boolean everyTenant) {

    /** The roles whose tokens see and act on every tenant's migrations. */
    static final Set<String> EVERY_TENANT = Set.of("admin", "service");

    /** The caller a verified token names; a token without a tenant claim, and no role of every tenant, sees nothing. */
    public static Caller of(JsonWebToken token) {
        Object claim = token.getClaim("tenant");
        String tenant = claim instanceof JsonString s ? s.getString() : claim instanceof String s ? s : null;
        return new Caller(token.getName(), tenant,
                token.getGroups().stream().anyMatch(EVERY_TENANT::contains));
    }

    /** A portal's request on behalf of {@code tenant}, by the person it names. */
    public static Caller onBehalfOf(String tenant, String subject) {
        return new Caller(subject, tenant, false);
    }

    /** Whether a migration (or environment) of {@code owner} is this caller's to see and act on. */
    public boolean sees(String owner) {
        return everyTenant || tenant != null && tenant.equals(owner);
    }

    /** The tenant a preflight check holds the environment to: {@code null} for an identity of every tenant. */
    public String scope() {
        return everyTenant ? null : tenant;
    }
}
