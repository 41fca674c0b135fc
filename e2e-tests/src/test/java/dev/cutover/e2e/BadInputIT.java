package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.contracts.Envelopes;
import dev.cutover.stack.Http;
import dev.cutover.stack.LocalStack;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Bad input at every operation of every REST API on the running stack: each operation of the orchestrator's and the
 * local platform's OpenAPI documents, and the traffic service's and the edge router's route APIs (which publish none),
 * gets a body that is not JSON, a body of the wrong JSON shape, a body whose every field has the wrong type, and path
 * parameters that name nothing. Each answer must be a refusal (4xx) with problem details that say something, never a
 * 5xx or an empty body; and afterwards nothing has changed (migrations, environments, servers, routes).
 */
class BadInputIT {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final byte[] NOT_JSON = "{\"broken\": ".getBytes(StandardCharsets.UTF_8);

    /** One request sent on purpose wrong, and what it was. */
    private record Tried(String what, Http.Answer answer) {
    }

    @Test
    void everyOperationRefusesBadInputWithProblemDetailsAndChangesNothing() throws Exception {
        LocalStack stack = Stack.get();
        Map<String, List<String>> before = state();
        List<Tried> tried = new ArrayList<>();
        for (LocalStack.Service service : List.of(LocalStack.Service.ORCHESTRATOR, LocalStack.Service.LOCAL_PLATFORM)) {
            String base = stack.url(service);
            JsonNode document = Stack.HTTP.get(base + "/q/openapi?format=json").orThrow().body();
            for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                for (Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields(); operations.hasNext(); ) {
                    Map.Entry<String, JsonNode> operation = operations.next();
                    String method = operation.getKey().toUpperCase();
                    JsonNode body = operation.getValue().path("requestBody");
                    boolean named = path.getKey().contains("{");
                    if (!named && body.isMissingNode()) {
                        continue; // a list or a stream: nothing in it to get wrong
                    }
                    String url = base + nameNothing(path.getKey());
                    String what = service.name().toLowerCase() + " " + method + " " + path.getKey();
                    if (body.isMissingNode()) {
                        tried.add(new Tried(what + " naming nothing", Stack.HTTP.sendRaw(method, url, null, Map.of())));
                    } else {
                        JsonNode schema = resolve(document, body.path("content").path("application/json").path("schema"));
                        tried.addAll(badBodies(what, method, url, document, schema));
                    }
                }
            }
        }
        // No OpenAPI document: their route APIs by hand.
        String traffic = stack.url(LocalStack.Service.TRAFFIC);
        String router = stack.url(LocalStack.Service.EDGE_ROUTER);
        ObjectNode route = NODES.objectNode().put("environment", "no-such-environment");
        tried.addAll(badBodies("traffic PUT /routes/{hostname}", "PUT", traffic + "/routes/bad-input.example.com", null, object(route)));
        tried.addAll(badBodies("edge router PUT /routes/{hostname}", "PUT", router + "/routes/bad-input.example.com", null, object(route)));
        tried.addAll(badBodies("edge router PUT /routes", "PUT", router + "/routes", null,
                NODES.objectNode().put("type", "array").set("items", object(route.put("hostname", "bad-input.example.com")))));

        List<String> wrong = new ArrayList<>();
        for (Tried t : tried) {
            Http.Answer a = t.answer();
            String detail = a.body() == null ? "" : a.body().path("detail").asText("");
            boolean problem = String.valueOf(a.header("Content-Type")).startsWith("application/problem+json");
            // Removing what is not there is done already (every platform operation is idempotent): 204, changing nothing.
            boolean idempotentRemoval = t.what().contains(" DELETE ") && t.what().endsWith("naming nothing") && a.status() == 204;
            if (!idempotentRemoval && (a.status() < 400 || a.status() >= 500 || a.status() == 401 || a.status() == 403 || !problem
                    || detail.isBlank())) {
                wrong.add(t.what() + " -> " + a.status() + " " + a.header("Content-Type") + " " + a.body());
            }
        }
        assertTrue(tried.size() > 40, "bad input was sent to every operation: " + tried.size() + " requests");
        assertEquals(List.of(), wrong, "every bad request refused with problem details that say why");
        assertEquals(before, state(), "nothing changed");
    }

    /** The body that is not JSON, the wrong shape (an array for an object, an object for an array), and wrong types. */
    private static List<Tried> badBodies(String what, String method, String url, JsonNode document, JsonNode schema) throws Exception {
        List<Tried> tried = new ArrayList<>();
        tried.add(new Tried(what + " with a body that is not JSON", Stack.HTTP.sendRaw(method, url, NOT_JSON, Map.of())));
        boolean array = "array".equals(schema.path("type").asText());
        JsonNode shape = array ? NODES.objectNode().put("not", "a list") : NODES.arrayNode().add(1).add(2);
        tried.add(new Tried(what + " with " + (array ? "an object" : "an array"), send(method, url, shape)));
        JsonNode fields = array ? resolve(document, schema.path("items")) : schema;
        ObjectNode wrongTypes = wrongTypes(document, fields);
        if (!wrongTypes.isEmpty()) {
            tried.add(new Tried(what + " with every field of the wrong type " + wrongTypes,
                    send(method, url, array ? NODES.arrayNode().add(wrongTypes) : wrongTypes)));
        }
        return tried;
    }

    /** Each property of the schema given a JSON value no reader could take for its type (no number for a string, say). */
    private static ObjectNode wrongTypes(JsonNode document, JsonNode schema) {
        ObjectNode body = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields(); properties.hasNext(); ) {
            Map.Entry<String, JsonNode> p = properties.next();
            JsonNode type = resolve(document, p.getValue());
            switch (type.path("type").asText(type.has("enum") ? "string" : "object")) {
                case "string" -> body.set(p.getKey(), NODES.arrayNode().add("a list"));
                case "integer", "number" -> body.put(p.getKey(), "many");
                case "boolean" -> body.put(p.getKey(), "maybe");
                case "array" -> body.put(p.getKey(), 7);
                default -> body.put(p.getKey(), "an object, not this");
            }
        }
        return body;
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        if (ref.isEmpty() || document == null) {
            return schema;
        }
        JsonNode found = document;
        for (String part : ref.substring(2).split("/")) {
            found = found.path(part);
        }
        return found;
    }

    private static JsonNode object(ObjectNode example) {
        ObjectNode properties = NODES.objectNode();
        example.fieldNames().forEachRemaining(f -> properties.set(f, NODES.objectNode().put("type", "string")));
        return NODES.objectNode().put("type", "object").set("properties", properties);
    }

    private static Http.Answer send(String method, String url, JsonNode body) throws Exception {
        return Stack.HTTP.sendRaw(method, url, Envelopes.json().writeValueAsBytes(body), Map.of());
    }

    /** The path with each parameter naming nothing: an id that is no UUID, a name nobody has. */
    private static String nameNothing(String path) {
        Matcher m = PARAMETER.matcher(path);
        StringBuilder url = new StringBuilder();
        while (m.find()) {
            String value = m.group(1).equals("id") ? "not-an-id" : "no-such-" + m.group(1).toLowerCase();
            m.appendReplacement(url, URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return m.appendTail(url).toString();
    }

    /** What a refused request must leave as it was: which migrations, environments, servers and routes there are. */
    private static Map<String, List<String>> state() {
        LocalStack stack = Stack.get();
        Map<String, List<String>> state = new LinkedHashMap<>();
        state.put("migrations", fields(Stack.HTTP.get(Stack.api() + "/migrations").orThrow().body(), "id"));
        state.put("environments", fields(Stack.HTTP.get(Stack.platform() + "/environments").orThrow().body(), "name", "server"));
        state.put("servers", fields(Stack.HTTP.get(Stack.platform() + "/servers").orThrow().body(), "name", "online"));
        state.put("traffic routes", fields(Stack.HTTP.get(stack.url(LocalStack.Service.TRAFFIC) + "/routes").orThrow().body(),
                "hostname", "environment"));
        state.put("router routes", fields(Stack.HTTP.get(stack.url(LocalStack.Service.EDGE_ROUTER) + "/routes").orThrow().body(),
                "hostname", "environment"));
        return state;
    }

    private static List<String> fields(JsonNode list, String... names) {
        List<String> rows = new ArrayList<>();
        for (JsonNode item : list) {
            List<String> values = new ArrayList<>();
            for (String name : names) {
                values.add(item.path(name).asText());
            }
            rows.add(String.join(" ", values));
        }
        return rows.stream().sorted().toList();
    }
}
