package dev.cutover.kit.problem;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.TreeSet;

/**
 * A request the door refuses (no token, a refused one, a role that may not) is answered with problem details saying what
 * is missing, as every other refusal is; they never say whether what was asked for exists.
 */
@ApplicationScoped
public class AccessProblems {

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::refuse);
    }

    private void refuse(RoutingContext rc) {
        Throwable failure = rc.failure();
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            unauthorized(rc);
        } else if (failure instanceof ForbiddenException) {
            String roles = rc.user() instanceof QuarkusHttpUser user ? String.join(", ", new TreeSet<>(user.getSecurityIdentity().getRoles())) : "";
            end(rc, 403, "Forbidden", "the token's roles (" + (roles.isEmpty() ? "none" : roles) + ") may not "
                    + rc.request().method().name() + " here: docs/security.md says which role may do what");
        } else {
            rc.next();
        }
    }

    /** 401: no token came, or the one that came was refused. */
    static void unauthorized(RoutingContext rc) {
        boolean sent = rc.request().getHeader("Authorization") != null || rc.request().getCookie("cutover_token") != null;
        rc.response().putHeader("WWW-Authenticate", "Bearer");
        end(rc, 401, "Unauthorized", sent
                ? "the bearer token was refused: it has expired, is not signed by the issuer this service trusts, or is not a JWT"
                : "this API needs a bearer token: send Authorization: Bearer TOKEN (a browser: the cookie cutover_token)");
    }

    private static void end(RoutingContext rc, int status, String title, String detail) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject().put("type", "about:blank").put("title", title).put("status", status).put("detail", detail).encode());
    }
}
