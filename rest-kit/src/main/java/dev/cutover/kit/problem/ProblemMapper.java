package dev.cutover.kit.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every refusal of a service's REST API as an RFC 9457 problem: what went wrong, in words a person can act on. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response problem(Problem e) {
        return problem(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return problem(status, status == 400 ? "the request body is not valid JSON of the expected shape" : e.getMessage());
    }

    /** A body of the wrong shape: the field it names and what was expected there, not an empty 400. */
    @ServerExceptionMapper
    public Response shape(MismatchedInputException e) {
        String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        Class<?> type = e.getTargetType();
        if (field.isEmpty() && type != null && type.isEnum()) {
            // The REST layer hands over a record creator's error without its path: an enum field is named after its type.
            field = Character.toLowerCase(type.getSimpleName().charAt(0)) + type.getSimpleName().substring(1);
        }
        String expected = type == null ? "another value"
                : type.isEnum() ? "one of " + Arrays.stream(type.getEnumConstants()).map(c -> c.toString().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", "))
                : type == String.class ? "a string"
                : type == Boolean.class || type == boolean.class ? "true or false"
                : Number.class.isAssignableFrom(type) || type.isPrimitive() ? "a number"
                : "an object";
        String given = e instanceof InvalidFormatException f ? " ('" + f.getValue() + "' is not)" : "";
        String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return problem(400, field.isEmpty()
                ? (type == null ? "the request body must be a JSON object" : "a field of the request body: expected " + expected + given + where)
                : field + ": expected " + expected + given);
    }

    @ServerExceptionMapper
    public Response syntax(JsonParseException e) {
        return problem(400, "the request body is not valid JSON: " + e.getOriginalMessage());
    }

    public static Response problem(int status, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        Response.Status known = Response.Status.fromStatusCode(status);
        body.put("type", "about:blank");
        body.put("title", known == null ? "Error" : known.getReasonPhrase());
        body.put("status", status);
        body.put("detail", detail);
        return Response.status(status).type("application/problem+json").entity(body).build();
    }
}
