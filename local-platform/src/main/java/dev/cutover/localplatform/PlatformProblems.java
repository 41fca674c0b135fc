package dev.cutover.localplatform;

import dev.cutover.kit.problem.ProblemMapper;
import dev.cutover.platform.PlatformException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The platform's own refusals (an unknown environment, a taken name, a server it can't reach) as problem details. */
public class PlatformProblems {

    @ServerExceptionMapper
    public Response platform(PlatformException e) {
        return ProblemMapper.problem(e.status(), e.getMessage());
    }
}
