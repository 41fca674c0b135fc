package dev.cutover.orchestrator;

import org.junit.jupiter.api.BeforeAll;
import dev.cutover.testkit.TestSupport;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.testkit.SharedTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the orchestrator serves at {@code /q/openapi} is valid (the swagger-parser reference parser
 * reports nothing), documents every endpoint the resource classes declare, and documents the problem responses
 * (RFC 9457, {@code application/problem+json}) each endpoint can answer. Swagger UI is served at {@code /q/swagger-ui}.
 */
@QuarkusTest
@QuarkusTestResource(value = SharedTestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class OpenApiDocumentTest {

    @BeforeAll
    static void authorize() {
        TestSupport.authorize("operator", "service");
    }

    private static final String PROBLEM = "application/problem+json";

    /** The problem statuses each endpoint must document, besides its success. */
    private static final Map<String, Set<String>> PROBLEMS = Map.of(
            "POST /migrations", Set.of("400", "409", "422"),
            "GET /migrations", Set.of("400"),
            "GET /migrations/{id}", Set.of("404"),
            "POST /migrations/{id}/confirm", Set.of("404", "409"),
            "POST /migrations/{id}/abort", Set.of("404", "409"),
            "POST /migrations/{id}/rollback", Set.of("404", "409"),
            "POST /plans", Set.of("400", "422"));

    private static final Map<String, Set<String>> SUCCESSES = Map.of(
            "POST /migrations", Set.of("201", "200"),
            "GET /migrations", Set.of("200"),
            "GET /migrations/{id}", Set.of("200"),
            "POST /migrations/{id}/confirm", Set.of("200"),
            "POST /migrations/{id}/abort", Set.of("202"),
            "POST /migrations/{id}/rollback", Set.of("202"),
            "POST /plans", Set.of("200"));

    private static OpenAPI parsed(List<String> messages) {
        String json = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).contentType(containsString("json"))
                .extract().asString();
        try {
            // For a look at what is served: target/openapi.json.
            Files.writeString(java.nio.file.Path.of(System.getProperty("basedir", ".")).resolve("target/openapi.json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        messages.addAll(result.getMessages() == null ? List.of() : result.getMessages());
        return result.getOpenAPI();
    }

    @Test
    void theServedOpenApiDocumentIsValid() {
        List<String> messages = new ArrayList<>();
        OpenAPI api = parsed(messages);

        assertEquals(List.of(), messages, "swagger-parser found problems in /q/openapi");
        assertNotNull(api);
        assertTrue(api.getOpenapi().startsWith("3."), api.getOpenapi());
        assertEquals("Cutover orchestrator API", api.getInfo().getTitle());
        assertEquals("1", api.getInfo().getVersion());
        given().get("/q/openapi").then().statusCode(200).contentType(containsString("yaml"));
    }

    /** The check above is not vacuous: the parser does report a document that lacks its info. */
    @Test
    void theParserReportsABrokenDocument() {
        String json = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        String broken = json.replaceFirst("\"info\"\\s*:", "\"information\":");

        SwaggerParseResult result = new OpenAPIV3Parser().readContents(broken, null, new ParseOptions());

        assertTrue(result.getMessages() != null && result.getMessages().stream().anyMatch(m -> m.contains("info")),
                "no message about the missing info: " + result.getMessages());
    }

    @Test
    void everyEndpointTheResourcesDeclareIsDocumentedWithItsProblemResponses() throws IOException {
        OpenAPI api = parsed(new ArrayList<>());
        Set<String> declared = declaredEndpoints();
        assertTrue(declared.containsAll(PROBLEMS.keySet()), "the resource scan missed endpoints: " + declared);

        Map<String, Operation> documented = documentedOperations(api);
        for (String endpoint : declared) {
            Operation operation = documented.get(endpoint);
            assertNotNull(operation, endpoint + " is declared by a resource class but not in /q/openapi: " + documented.keySet());
            Map<String, ApiResponse> responses = new TreeMap<>();
            operation.getResponses().forEach((code, response) -> responses.put(code, resolve(api, response)));

            assertTrue(responses.keySet().containsAll(SUCCESSES.getOrDefault(endpoint, Set.of())),
                    endpoint + " documents " + responses.keySet() + ", not every success " + SUCCESSES.get(endpoint));
            Set<String> problems = new TreeSet<>(PROBLEMS.getOrDefault(endpoint, Set.of()));
            if (endpoint.contains("{id}")) {
                problems.add("404");
            }
            assertTrue(responses.keySet().containsAll(problems),
                    endpoint + " documents " + responses.keySet() + ", not every problem " + problems);
            responses.forEach((code, response) -> {
                if (code.startsWith("4") || code.startsWith("5")) {
                    MediaType problem = response.getContent() == null ? null : response.getContent().get(PROBLEM);
                    assertNotNull(problem, endpoint + " " + code + " is not documented as " + PROBLEM);
                    assertEquals("#/components/schemas/Problem", problem.getSchema().get$ref(), endpoint + " " + code);
                    assertNotNull(response.getDescription(), endpoint + " " + code + " has no description");
                } else if (code.startsWith("2")) {
                    assertNotNull(response.getContent(), endpoint + " " + code + " documents no body");
                }
            });
        }
        var problem = api.getComponents().getSchemas().get("Problem");
        assertNotNull(problem, "components/schemas/Problem is missing");
        assertEquals(Set.of("type", "title", "status", "detail"), problem.getProperties().keySet());
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200).contentType(containsString("html"));
    }

    private static ApiResponse resolve(OpenAPI api, ApiResponse response) {
        if (response.get$ref() == null) {
            return response;
        }
        String name = response.get$ref().substring(response.get$ref().lastIndexOf('/') + 1);
        ApiResponse shared = api.getComponents().getResponses().get(name);
        assertNotNull(shared, "no components/responses/" + name);
        return shared;
    }

    private static Map<String, Operation> documentedOperations(OpenAPI api) {
        Map<String, Operation> operations = new TreeMap<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> operations.put(method.name() + " " + path, operation)));
        return operations;
    }

    /** Every "METHOD /path" of the JAX-RS resource classes compiled into this module (whatever was added since). */
    private static Set<String> declaredEndpoints() throws IOException {
        java.nio.file.Path classes = java.nio.file.Path.of(System.getProperty("basedir", ".")).resolve("target/classes");
        Set<String> endpoints = new TreeSet<>();
        try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(File.separatorChar, '.').replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, Thread.currentThread().getContextClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                Path root = type.getAnnotation(Path.class);
                if (root == null) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    String verb = httpMethod(method);
                    var operation = method.getAnnotation(org.eclipse.microprofile.openapi.annotations.Operation.class);
                    if (verb == null || (operation != null && operation.hidden())) {
                        continue;
                    }
                    Path sub = method.getAnnotation(Path.class);
                    endpoints.add(verb + " " + join(root.value(), sub == null ? "" : sub.value()));
                }
            }
        }
        return endpoints;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static String join(String root, String sub) {
        String path = ("/" + root + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
