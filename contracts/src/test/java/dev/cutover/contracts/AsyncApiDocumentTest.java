package dev.cutover.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/asyncapi.yaml} is generated from the code ({@link AsyncApiGenerator}) and must not drift from it; it is a
 * valid AsyncAPI 2.6 document (checked against the official JSON Schema, vendored in {@code src/test/resources/asyncapi}),
 * and what Cutover writes on its topics is valid against it.
 *
 * <p>To rewrite the document after changing a contract:
 * {@code ./mvnw -B test -pl contracts -Dtest=AsyncApiDocumentTest -Dcutover.asyncapi.write=true}
 */
class AsyncApiDocumentTest {

    private static final String WRITE_PROPERTY = "cutover.asyncapi.write";
    private static final String OFFICIAL_SCHEMA = "/asyncapi/asyncapi-2.6.0.schema.json";
    private static final String DOCUMENT_IRI = "https://cutover.dev/docs/asyncapi.json";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path moduleDir() {
        Path base = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        if (Files.isDirectory(base.resolve("src/main/java/dev/cutover/contracts"))) {
            return base;
        }
        Path fromRoot = base.resolve("contracts");
        if (Files.isDirectory(fromRoot.resolve("src/main/java/dev/cutover/contracts"))) {
            return fromRoot;
        }
        throw new IllegalStateException("run from the contracts module or the repository root, not " + base);
    }

    private static Path sources() {
        return moduleDir().resolve("src/main/java");
    }

    private static Path committed() {
        return moduleDir().resolveSibling("docs").resolve("asyncapi.yaml");
    }

    private static JsonNode committedDocument() throws IOException {
        return YAML.readTree(committed().toFile());
    }

    @Test
    void theCommittedAsyncApiDocumentMatchesTheCode() throws IOException {
        String generated = AsyncApiGenerator.yaml(sources());
        Path file = committed();
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, generated, StandardCharsets.UTF_8);
            return;
        }
        String regenerate = "Regenerate it with: ./mvnw -B test -pl contracts -Dtest=AsyncApiDocumentTest -D"
                + WRITE_PROPERTY + "=true (then review and commit docs/asyncapi.yaml)";
        if (!Files.exists(file)) {
            fail(file + " is missing. " + regenerate);
        }
        String current = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
        if (!current.equals(generated)) {
            fail("docs/asyncapi.yaml does not describe the contracts as they are now (" + firstDifference(current, generated)
                    + "). " + regenerate);
        }
    }

    private static Schema officialSchema() throws IOException {
        try (InputStream in = AsyncApiDocumentTest.class.getResourceAsStream(OFFICIAL_SCHEMA)) {
            assertTrue(in != null, OFFICIAL_SCHEMA + " is missing from the test resources");
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
        }
    }

    @Test
    void theDocumentIsAValidAsyncApi26Document() throws IOException {
        Schema official = officialSchema();
        JsonNode document = committedDocument();
        assertEquals(AsyncApiGenerator.ASYNCAPI_VERSION, document.path("asyncapi").asText());

        List<Error> errors = official.validate(document);

        assertTrue(errors.isEmpty(), "docs/asyncapi.yaml is not valid AsyncAPI " + AsyncApiGenerator.ASYNCAPI_VERSION
                + ":\n" + String.join("\n", errors.stream().map(Error::toString).toList()));
    }

    /** The validation above is not vacuous: a document without info, whose dead letter headers are no schema, fails. */
    @Test
    void theOfficialSchemaRefusesABrokenDocument() throws IOException {
        ObjectNode broken = (ObjectNode) committedDocument().deepCopy();
        broken.remove("info");
        ((ObjectNode) broken.at("/components/messages/DeadLetter")).put("headers", "not a schema");

        List<Error> errors = officialSchema().validate(broken);

        assertFalse(errors.isEmpty());
        assertTrue(errors.stream().anyMatch(e -> e.toString().contains("info")), errors.toString());
    }

    @Test
    void everyTopicAndEveryMessageTypeIsDocumentedOnItsTopic() throws IOException {
        JsonNode document = committedDocument();
        Set<String> channels = new LinkedHashSet<>();
        document.path("channels").fieldNames().forEachRemaining(channels::add);
        assertEquals(new LinkedHashSet<>(Topics.ALL), channels);

        for (MessageCatalog.Entry entry : MessageCatalog.entries()) {
            JsonNode message = document.path("components").path("messages").path(entry.type());
            assertFalse(message.isMissingNode(), entry.type() + " is not documented");
            assertTrue(messageRefs(document.path("channels").path(entry.topic())).contains("#/components/messages/" + entry.type()),
                    entry.type() + " is not documented on " + entry.topic());
            String data = message.path("payload").path("allOf").path(1).path("properties").path("data").path("$ref").asText();
            assertTrue(document.at(data.substring(1)).isObject(), "the data schema of " + entry.type() + " is missing");
        }
        JsonNode deadLetter = document.path("components").path("messages").path("DeadLetter");
        assertEquals("dead-letter-reason", deadLetter.path("headers").path("required").path(0).asText());
        assertTrue(messageRefs(document.path("channels").path(Topics.DEAD_LETTERS)).contains("#/components/messages/DeadLetter"));
    }

    /** What the services put on the topics (the envelope as {@link Envelopes} writes it) is valid against the document. */
    @Test
    void everyMessageAsCutoverWritesItIsValidAgainstItsDocumentedSchema() throws IOException {
        SchemaRegistry registry = documentRegistry();
        for (MessageCatalog.Entry entry : MessageCatalog.entries()) {
            Schema schema = registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#/components/messages/" + entry.type() + "/payload"));
            JsonNode written = JSON.readTree(Envelopes.encode(
                    Envelopes.wrap("/cutover/test", (Message) AsyncApiGenerator.sample(entry.payload()))));

            List<Error> errors = schema.validate(written);

            assertTrue(errors.isEmpty(), entry.type() + " as written is not valid against docs/asyncapi.yaml: " + errors);
            assertFalse(schema.validate(withType(written, "dev.cutover.unknown.v1")).isEmpty(),
                    "the schema of " + entry.type() + " accepts any type");
        }
    }

    /** Leaving out a field the document says is required fails both the document's schema and the decoder. */
    @Test
    void theRequiredFieldsOfTheDocumentAreTheOnesTheDecoderInsistsOn() throws IOException {
        JsonNode document = committedDocument();
        SchemaRegistry registry = documentRegistry();
        int checked = 0;
        for (MessageCatalog.Entry entry : MessageCatalog.entries()) {
            Schema schema = registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#/components/messages/" + entry.type() + "/payload"));
            ObjectNode written = (ObjectNode) JSON.readTree(Envelopes.encode(
                    Envelopes.wrap("/cutover/test", (Message) AsyncApiGenerator.sample(entry.payload()))));
            String dataRef = document.at("/components/messages").path(entry.type())
                    .path("payload").path("allOf").path(1).path("properties").path("data").path("$ref").asText();
            JsonNode dataSchema = document.at(dataRef.substring(1));
            Set<String> required = new LinkedHashSet<>();
            dataSchema.path("required").forEach(r -> required.add(r.asText()));
            for (var fields = dataSchema.path("properties").fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                ObjectNode without = written.deepCopy();
                ((ObjectNode) without.get("data")).remove(field);
                boolean schemaRefuses = !schema.validate(without).isEmpty();
                boolean decoderRefuses = refused(without);
                assertEquals(required.contains(field), schemaRefuses, entry.type() + " without " + field + ": document");
                assertEquals(required.contains(field), decoderRefuses, entry.type() + " without " + field + ": decoder");
                checked++;
            }
        }
        assertTrue(checked > 50, "checked only " + checked + " fields");
    }

    private static boolean refused(JsonNode envelope) {
        try {
            Envelopes.read(envelope.toString());
            return false;
        } catch (MalformedMessageException e) {
            return true;
        }
    }

    @Test
    void aMissingRequiredFieldIsRefusedByTheDocumentAsByTheDecoder() throws IOException {
        Schema schema = documentRegistry().getSchema(
                SchemaLocation.of(DOCUMENT_IRI + "#/components/messages/dev.cutover.migration.requested.v1/payload"));
        String request = """
                {"specversion":"1.0","id":"r-1","source":"/portal","type":"dev.cutover.migration.requested.v1",
                 "subject":"shop","data":{"targetServer":"eu-2","autoConfirm":false}}""";

        assertFalse(schema.validate(JSON.readTree(request)).isEmpty());
        assertThrows(MalformedMessageException.class, () -> Envelopes.read(request));
    }

    private static SchemaRegistry documentRegistry() throws IOException {
        // Only the components: the document's other members (its AsyncAPI "id", for one) are no JSON Schema keywords.
        ObjectNode components = JSON.createObjectNode();
        components.set("components", committedDocument().get("components"));
        String document = JSON.writeValueAsString(components);
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                builder -> builder.schemas(Map.of(DOCUMENT_IRI, document)));
    }

    private static JsonNode withType(JsonNode envelope, String type) {
        ObjectNode copy = envelope.deepCopy();
        copy.put("type", type);
        return copy;
    }

    private static List<String> messageRefs(JsonNode channel) {
        List<String> refs = new ArrayList<>();
        for (String operation : List.of("publish", "subscribe")) {
            JsonNode message = channel.path(operation).path("message");
            if (message.has("$ref")) {
                refs.add(message.get("$ref").asText());
            }
            message.path("oneOf").forEach(m -> refs.add(m.path("$ref").asText()));
        }
        return refs;
    }

    private static String firstDifference(String current, String generated) {
        String[] a = current.split("\n", -1);
        String[] b = generated.split("\n", -1);
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (!a[i].equals(b[i])) {
                return "first difference at line " + (i + 1) + ": committed '" + a[i].strip() + "', generated '" + b[i].strip() + "'";
            }
        }
        return "committed has " + a.length + " lines, generated " + b.length;
    }
}
