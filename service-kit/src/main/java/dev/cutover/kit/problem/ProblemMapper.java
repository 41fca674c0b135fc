package dev.cutover.kit.problem;

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
