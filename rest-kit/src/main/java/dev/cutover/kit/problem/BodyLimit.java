package dev.cutover.kit.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body over {@code quarkus.http.limits.max-body-size} is refused, before it is read, with problem details saying the
 * limit (the HTTP layer's own 413 has no body). A chunked body, whose length is unknown up front, still gets that bare 413.
 */
@ApplicationScoped
public class BodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize limit;

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String length = rc.request().getHeader("Content-Length");
            if (length != null && length.chars().allMatch(Character::isDigit) && !length.isEmpty() && length.length() < 19
                    && Long.parseLong(length) > limit.asLongValue()) {
                String detail = "the request body is " + length + " bytes: at most " + limit.asLongValue() + " are taken";
                rc.response().setStatusCode(413).putHeader("Content-Type", "application/problem+json")
                        .putHeader("Connection", "close")
                        .end(new JsonObject().put("type", "about:blank").put("title", "Request Entity Too Large").put("status", 413)
                                .put("detail", detail).encode());
                return;
            }
            rc.next();
        }, 1000);
    }
}
