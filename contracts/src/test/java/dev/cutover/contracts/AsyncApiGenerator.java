package dev.cutover.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the AsyncAPI 2.6 document of Cutover's topics from the code: the topics of {@link Topics} (and their
 * Javadoc), the message types of {@link MessageCatalog}, the CloudEvents envelope {@link CloudEvent}, and the records'
 * components read by reflection.
 *
 * <p>What a field requires is not copied from anywhere: it is found by asking the decoder. For every record the
 * generator builds a sample, serialises it with the contracts' mapper ({@link Envelopes#json()}) and reads it back
 * once per field with the field left out, set to {@code null} and, for strings, blank. A field whose absence the
 * decoder refuses is {@code required} (the {@code Required.present} checks of the compact constructors, and also the
 * primitive {@code boolean}/{@code long} fields, since the mapper refuses a missing primitive); one whose {@code null}
 * it accepts is nullable; a string it refuses blank gets {@code pattern: \S}. The envelope's required attributes are
 * found the same way through {@link Envelopes#decode(String)}.
 *
 * <p>Descriptions come from the Javadoc of the records and of the topic constants, read from {@code src/main/java}.
 */
final class AsyncApiGenerator {

    static final String ASYNCAPI_VERSION = "2.6.0";
    static final String HEADER = """
            # Cutover's topics and messages (AsyncAPI %s).
            # GENERATED from the contracts module (Topics, MessageCatalog, CloudEvent and the message records) by
            # contracts/src/test/java/dev/cutover/contracts/AsyncApiGenerator.java; do not edit by hand.
            # Regenerate: ./mvnw -B test -pl contracts -Dtest=AsyncApiDocumentTest -Dcutover.asyncapi.write=true
            """.formatted(ASYNCAPI_VERSION);

    /** Set by SmallRye Reactive Messaging's dead-letter-queue failure strategy, which Cutover's consumers use. */
    private static final Map<String, String> DEAD_LETTER_HEADERS = linked(
            "dead-letter-reason", "Why the message could not be handled, for example `unknown type 'dev.cutover.x.v9'`, "
                    + "`invalid dev.cutover.preflight.run.v1: missing required field 'environment'` or `request refused: ...`.",
            "dead-letter-cause", "The message of the failure's cause, when it has one.",
            "dead-letter-exception-class-name", "The class of the failure.",
            "dead-letter-cause-class-name", "The class of the failure's cause, when it has one.",
            "dead-letter-topic", "The topic the message was read from.",
            "dead-letter-partition", "The partition it was read from.",
            "dead-letter-offset", "Its offset there.");

    /** What each envelope attribute means; every component of {@link CloudEvent} must have an entry. */
    private static final Map<String, String> ENVELOPE_ATTRIBUTES = linked(
            "specversion", "The CloudEvents version.",
            "id", "Unique per message. Consumers record it and ignore a message whose id they have seen (idempotent "
                    + "consumers). For `dev.cutover.migration.requested.v1` it is the idempotency key of the request.",
            "source", "Who produced the message: `/cutover/<service>` for Cutover's services (for example "
                    + "`/cutover/orchestrator`), a URI reference of the portal's choice for requests.",
            "type", "The message type, `dev.cutover.<area>.<name>.v<major>`: which schema `data` follows.",
            "subject", "What the message is about; also its Kafka key.",
            "time", "When the message was produced (RFC 3339).",
            "datacontenttype", "The content type of `data`; Cutover writes `application/json`.",
            "schemaversion", "Extension attribute: the major version of `data`'s schema, also the `.vN` of `type`. "
                    + "A message with another version is dead-lettered.",
            "traceparent", "Extension attribute: the W3C Trace Context (`00-<trace-id>-<span-id>-<flags>`) of the "
                    + "work that produced the message, when it was traced.",
            "data", "The message itself; its schema depends on `type`.");

    /** Readable sample values for the examples, by field name; any other field gets a generic one. */
    private static final Map<String, Object> SAMPLES = Map.ofEntries(
            Map.entry("environment", "shop"),
            Map.entry("targetServer", "eu-2"),
            Map.entry("targetEnvironment", "shop-eu-2"),
            Map.entry("targetName", "shop-eu-2"),
            Map.entry("newName", "shop-eu-2"),
            Map.entry("requestedBy", "portal"),
            Map.entry("confirmedBy", "alice@example.com"),
            Map.entry("actor", "api"),
            Map.entry("from", "verify"),
            Map.entry("to", "awaiting-confirmation"),
            Map.entry("status", "running"),
            Map.entry("detail", "copied 3000 of 6000 rows"),
            Map.entry("database", "shop"),
            Map.entry("table", "orders"),
            Map.entry("id", "target-online"),
            Map.entry("addresses", "shop.example.com"),
            Map.entry("tables", 2L),
            Map.entry("rows", 6000L),
            Map.entry("sourceRows", 5000L),
            Map.entry("targetRows", 5000L),
            Map.entry("bytes", 1_048_576L),
            Map.entry("millis", 1200L),
            Map.entry("freezeMillis", 850L));

    private static final UUID SAMPLE_ID = UUID.fromString("3f9b2c1e-7a4d-4e8b-9c2a-5d6e7f8a9b0c");
    private static final OffsetDateTime SAMPLE_TIME = OffsetDateTime.of(2026, 1, 15, 2, 0, 0, 0, ZoneOffset.UTC);
    private static final String SAMPLE_SOURCE = "/cutover/orchestrator";
    private static final String SAMPLE_EVENT_ID = "8d7e6f5a-4b3c-4d2e-9f1a-0b9c8d7e6f5a";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = Envelopes.json();

    private final Path sources;
    private final Map<Class<?>, String> schemaNames = new LinkedHashMap<>();
    private final ObjectNode schemas = NODES.objectNode();

    /** @param sources the contracts' {@code src/main/java}, for the Javadoc */
    AsyncApiGenerator(Path sources) {
        this.sources = sources;
    }

    /** The document as YAML text, with the "generated" header. */
    static String yaml(Path sources) {
        return HEADER + toYaml(new AsyncApiGenerator(sources).document());
    }

    static String toYaml(JsonNode document) {
        YAMLFactory yaml = YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .stringQuotingChecker(new QuoteTimestamps())
                .build();
        try {
            return new ObjectMapper(yaml).writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Also quotes strings a YAML 1.1 reader would take for a timestamp (the examples' times), so every reader sees a string. */
    private static final class QuoteTimestamps extends StringQuotingChecker.Default {
        private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}([Tt ].*)?");

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || TIMESTAMP.matcher(value).matches();
        }
    }

    /** The document as a JSON tree. */
    ObjectNode document() {
        ObjectNode doc = NODES.objectNode();
        doc.put("asyncapi", ASYNCAPI_VERSION);
        doc.put("id", "urn:dev:cutover:topics");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Cutover topics");
        info.put("version", MessageCatalog.SCHEMA_VERSION);
        info.put("description", """
                The Kafka topics through which Cutover's services and a platform portal talk. Every message is a \
                structured-mode CloudEvent (JSON) whose `type` names the schema of its `data`, and is keyed by its \
                `subject` (the migration id; the environment for a migration request), so one migration stays in \
                order. Unknown fields are ignored; a message with an unknown type, another `schemaversion` or a \
                missing required field is sent to `cutover.dead-letters` with the reason, and the consumer goes on. \
                Each `data` schema's `required` lists exactly the fields whose absence the consumers refuse; a field \
                that may be `null` says so.

                Operations are seen from a client of Cutover: `publish` is what a client (a portal) sends to Cutover, \
                `subscribe` what Cutover's services put on the topic (a dashboard, an auditor or a test may read \
                them). The command and step-event topics are Cutover's own traffic between its services.""");
        doc.put("defaultContentType", "application/cloudevents+json");
        ObjectNode server = doc.putObject("servers").putObject("local");
        server.put("url", "127.0.0.1:9092");
        server.put("protocol", "kafka");
        server.put("description", "The broker of the embedded stack (`./cutover up`); services read its address "
                + "from `kafka.bootstrap.servers` (`CUTOVER_KAFKA`).");

        ObjectNode messages = NODES.objectNode();
        for (MessageCatalog.Entry entry : MessageCatalog.entries()) {
            messages.set(entry.type(), message(entry));
        }
        messages.set("DeadLetter", deadLetter());

        ObjectNode channels = doc.putObject("channels");
        for (String topic : Topics.ALL) {
            channels.set(topic, channel(topic));
        }

        ObjectNode components = doc.putObject("components");
        ObjectNode allSchemas = components.putObject("schemas");
        allSchemas.set("CloudEvent", envelopeSchema());
        allSchemas.set("KafkaHeaders", kafkaHeaders());
        allSchemas.setAll(schemasInOrderOfUse());
        components.set("messages", messages);
        return doc;
    }

    // ---------------------------------------------------------------- channels

    private ObjectNode channel(String topic) {
        ObjectNode channel = NODES.objectNode();
        String constant = topicConstant(topic);
        javadoc(Topics.class, "public\\s+static\\s+final\\s+String\\s+" + constant + "\\b")
                .ifPresent(d -> channel.put("description", d));
        List<MessageCatalog.Entry> entries = MessageCatalog.entries().stream().filter(e -> e.topic().equals(topic)).toList();
        boolean toCutover = topic.equals(Topics.MIGRATION_REQUESTS);
        ObjectNode operation = channel.putObject(toCutover ? "publish" : "subscribe");
        operation.put("operationId", (toCutover ? "publish" : "subscribe") + pascal(topic.replaceFirst("^cutover\\.", "")));
        operation.put("summary", toCutover ? "A portal asks Cutover to start or confirm a migration."
                : topic.equals(Topics.DEAD_LETTERS) ? "Messages a consumer of Cutover could not handle."
                : "What Cutover's services publish on " + topic + ".");
        if (topic.equals(Topics.DEAD_LETTERS)) {
            operation.putObject("message").put("$ref", "#/components/messages/DeadLetter");
        } else if (entries.size() == 1) {
            operation.putObject("message").put("$ref", "#/components/messages/" + entries.get(0).type());
        } else {
            ArrayNode oneOf = operation.putObject("message").putArray("oneOf");
            entries.forEach(e -> oneOf.addObject().put("$ref", "#/components/messages/" + e.type()));
        }
        return channel;
    }

    private static String topicConstant(String topic) {
        for (var field : Topics.class.getFields()) {
            if (field.getType() == String.class && Modifier.isStatic(field.getModifiers())) {
                try {
                    if (topic.equals(field.get(null))) {
                        return field.getName();
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("no constant in Topics for " + topic);
    }

    // ---------------------------------------------------------------- messages

    private ObjectNode message(MessageCatalog.Entry entry) {
        Class<?> type = entry.payload();
        String payloadSchema = schemaName(type);
        ObjectNode message = NODES.objectNode();
        message.put("messageId", entry.type());
        message.put("name", type.getSimpleName());
        message.put("title", entry.type());
        Optional<String> doc = javadoc(type);
        doc.ifPresent(d -> message.put("summary", firstSentence(d)));
        String subject = subjectDescription(type);
        message.put("description", doc.map(d -> d + "\n\n").orElse("") + "Topic `" + entry.topic() + "`; the `subject` "
                + "and Kafka key is " + subject + ". `data` follows the schema `" + payloadSchema + "`.");
        message.put("contentType", "application/cloudevents+json");
        message.putObject("headers").put("$ref", "#/components/schemas/KafkaHeaders");
        ObjectNode payload = message.putObject("payload");
        ArrayNode allOf = payload.putArray("allOf");
        allOf.addObject().put("$ref", "#/components/schemas/CloudEvent");
        ObjectNode specific = allOf.addObject();
        specific.put("type", "object");
        ObjectNode properties = specific.putObject("properties");
        properties.putObject("type").put("const", entry.type());
        properties.putObject("subject").put("description", "The Kafka key: " + subject + ".");
        properties.putObject("data").put("$ref", "#/components/schemas/" + payloadSchema);
        ObjectNode kafka = message.putObject("bindings").putObject("kafka");
        kafka.putObject("key").put("type", "string").put("description", capitalize(subject) + ".");
        kafka.put("bindingVersion", "0.4.0");
        message.putArray("tags").addObject().put("name", area(entry.type()));
        ObjectNode example = message.putArray("examples").addObject();
        example.put("name", type.getSimpleName());
        example.putObject("headers").put("content-type", "application/cloudevents+json");
        example.set("payload", sampleEnvelope(entry));
        return message;
    }

    private static ObjectNode kafkaHeaders() {
        ObjectNode headers = NODES.objectNode();
        headers.put("type", "object");
        headers.put("description", "The Kafka record headers of every CloudEvent on Cutover's topics.");
        headers.putObject("properties").putObject("content-type").put("type", "string")
                .put("description", "`application/cloudevents+json` (structured mode), set by Cutover's outbox relay.");
        return headers;
    }

    private static ObjectNode deadLetter() {
        ObjectNode message = NODES.objectNode();
        message.put("messageId", "dead-letter");
        message.put("name", "DeadLetter");
        message.put("title", "Dead letter");
        message.put("summary", "A message a consumer could not handle, as it was received, with the reason.");
        message.put("description", "The key, value and headers of the original record, unchanged, plus the "
                + "`dead-letter-*` headers added by SmallRye Reactive Messaging's dead-letter-queue failure strategy "
                + "(`failure-strategy=dead-letter-queue` on every consumer of Cutover). Nothing is retried "
                + "automatically: fix the cause and publish the message again.");
        ObjectNode headers = message.putObject("headers");
        headers.put("type", "object");
        headers.putArray("required").add("dead-letter-reason");
        ObjectNode properties = headers.putObject("properties");
        DEAD_LETTER_HEADERS.forEach((name, description) ->
                properties.putObject(name).put("type", "string").put("description", description));
        message.putObject("payload").put("description", "The original record's value as it was received: usually "
                + "one of the CloudEvents of the other topics, possibly not even JSON.");
        ObjectNode kafka = message.putObject("bindings").putObject("kafka");
        kafka.putObject("key").put("type", "string").put("description", "The original record's key.");
        kafka.put("bindingVersion", "0.4.0");
        message.putArray("tags").addObject().put("name", "dead-letter");
        return message;
    }

    private static String area(String type) {
        return type.split("\\.")[2];
    }

    /** Which field the subject is: found by asking a sample message for its subject. */
    private String subjectDescription(Class<?> type) {
        Message sample = (Message) sample(type);
        String subject = sample.subject();
        for (RecordComponent component : type.getRecordComponents()) {
            Object value = accessor(component, sample);
            if (value != null && subject.equals(value.toString())) {
                return component.getName().equals("migrationId") ? "the migration id (`data.migrationId`)"
                        : "`data." + component.getName() + "`";
            }
        }
        throw new IllegalStateException(type.getSimpleName() + ".subject() is none of its fields: describe it in the generator");
    }

    private ObjectNode sampleEnvelope(MessageCatalog.Entry entry) {
        CloudEvent event = Envelopes.wrap(SAMPLE_SOURCE, (Message) sample(entry.payload()), SAMPLE_EVENT_ID,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        CloudEvent fixed = new CloudEvent(event.specversion(), event.id(), event.source(), event.type(), event.subject(),
                SAMPLE_TIME, event.datacontenttype(), event.schemaversion(), event.traceparent(), event.data());
        try {
            return (ObjectNode) JSON.readTree(Envelopes.encode(fixed));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- envelope

    /** The CloudEvent envelope; which attributes are required is found by asking {@link Envelopes#decode(String)}. */
    private ObjectNode envelopeSchema() {
        ObjectNode schema = NODES.objectNode();
        schema.put("type", "object");
        javadoc(CloudEvent.class).ifPresent(d -> schema.put("description", d));
        ObjectNode sample = sampleEnvelope(MessageCatalog.entries().get(0));
        ArrayNode required = schema.putArray("required");
        ObjectNode properties = schema.putObject("properties");
        for (RecordComponent component : CloudEvent.class.getRecordComponents()) {
            String name = component.getName();
            String description = ENVELOPE_ATTRIBUTES.get(name);
            if (description == null) {
                throw new IllegalStateException("CloudEvent has a new attribute '" + name
                        + "': describe it in AsyncApiGenerator.ENVELOPE_ATTRIBUTES");
            }
            boolean isRequired = !envelopeAccepted(sample, name, null);
            if (isRequired) {
                required.add(name);
            }
            ObjectNode property;
            if (name.equals("data")) {
                property = NODES.objectNode().put("type", "object");
            } else {
                property = typeSchema(component.getGenericType());
            }
            if (name.equals("specversion")) {
                property.put("const", CloudEvent.SPEC_VERSION);
            } else if (name.equals("schemaversion")) {
                property.put("const", MessageCatalog.SCHEMA_VERSION);
            } else if (name.equals("type")) {
                ArrayNode types = property.putArray("enum");
                MessageCatalog.entries().forEach(e -> types.add(e.type()));
            }
            if (component.getType() == String.class && isRequired && !property.has("const") && !property.has("enum")
                    && !envelopeAccepted(sample, name, TextNode.valueOf(" "))) {
                property.put("pattern", "\\S");
            }
            properties.set(name, describe(property, description));
        }
        return schema;
    }

    /** Does the decoder accept the sample envelope with this attribute removed ({@code value == null}) or replaced? */
    private static boolean envelopeAccepted(ObjectNode sample, String attribute, JsonNode value) {
        ObjectNode copy = sample.deepCopy();
        if (value == null) {
            copy.remove(attribute);
        } else {
            copy.set(attribute, value);
        }
        try {
            Envelopes.decode(copy.toString());
            return true;
        } catch (MalformedMessageException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- data schemas

    private Map<String, JsonNode> schemasInOrderOfUse() {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        schemas.fieldNames().forEachRemaining(name -> result.put(name, schemas.get(name)));
        return result;
    }

    /** Registers the schema of a record or an enum (once) and returns its name in {@code components/schemas}. */
    private String schemaName(Class<?> type) {
        String existing = schemaNames.get(type);
        if (existing != null) {
            return existing;
        }
        String name = type.getName().substring(type.getPackageName().length() + 1).replace('$', '.');
        if (schemaNames.containsValue(name)) {
            throw new IllegalStateException("two types are both called " + name + ": the generator needs unique names");
        }
        schemaNames.put(type, name);
        schemas.putObject(name); // keeps the order of first use
        schemas.set(name, type.isEnum() ? enumSchema(type) : recordSchema(type));
        return name;
    }

    private ObjectNode enumSchema(Class<?> type) {
        ObjectNode schema = NODES.objectNode();
        schema.put("type", "string");
        javadoc(type).ifPresent(d -> schema.put("description", d));
        ArrayNode values = schema.putArray("enum");
        for (Object constant : type.getEnumConstants()) {
            values.add(JSON.valueToTree(constant).asText());
        }
        return schema;
    }

    private ObjectNode recordSchema(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalStateException(type.getName() + " is neither a record nor an enum: extend the generator");
        }
        ObjectNode schema = NODES.objectNode();
        schema.put("type", "object");
        javadoc(type).ifPresent(d -> schema.put("description", d));
        ObjectNode sample = (ObjectNode) JSON.valueToTree(sample(type));
        Set<String> components = new LinkedHashSet<>();
        for (RecordComponent component : type.getRecordComponents()) {
            components.add(component.getName());
        }
        Set<String> written = new LinkedHashSet<>();
        sample.fieldNames().forEachRemaining(written::add);
        if (!written.equals(components)) {
            throw new IllegalStateException(type.getName() + " is written as " + written + ", not as its components "
                    + components + ": teach the generator about the difference");
        }
        ArrayNode required = NODES.arrayNode();
        ObjectNode properties = NODES.objectNode();
        for (RecordComponent component : type.getRecordComponents()) {
            String name = component.getName();
            boolean isRequired = !accepted(type, sample, name, null);
            boolean nullable = accepted(type, sample, name, NODES.nullNode());
            ObjectNode property = typeSchema(component.getGenericType());
            if (component.getType() == String.class && !accepted(type, sample, name, TextNode.valueOf(" "))) {
                property.put("pattern", "\\S");
            }
            if (isRequired) {
                required.add(name);
            }
            properties.set(name, nullable ? nullable(property) : property);
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        schema.set("properties", properties);
        return schema;
    }

    /** Does the contracts' mapper read the sample back with this field removed ({@code value == null}) or replaced? */
    private static boolean accepted(Class<?> type, ObjectNode sample, String field, JsonNode value) {
        ObjectNode copy = sample.deepCopy();
        if (value == null) {
            copy.remove(field);
        } else {
            copy.set(field, value);
        }
        try {
            JSON.treeToValue(copy, type);
            return true;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return false;
        }
    }

    private static ObjectNode nullable(ObjectNode property) {
        if (property.has("$ref")) {
            ObjectNode either = NODES.objectNode();
            ArrayNode anyOf = either.putArray("anyOf");
            anyOf.add(property);
            anyOf.addObject().put("type", "null");
            return either;
        }
        JsonNode type = property.get("type");
        ObjectNode copy = NODES.objectNode();
        property.fields().forEachRemaining(f -> {
            if (f.getKey().equals("type")) {
                copy.putArray("type").add(type.asText()).add("null");
            } else {
                copy.set(f.getKey(), f.getValue());
            }
        });
        return copy;
    }

    /** The JSON schema of a Java type, as the contracts' mapper writes it. */
    private ObjectNode typeSchema(Type generic) {
        if (generic instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] arguments = parameterized.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                ObjectNode array = NODES.objectNode().put("type", "array");
                array.set("items", typeSchema(arguments[0]));
                return array;
            }
            if (Map.class.isAssignableFrom(raw) && arguments[0] == String.class) {
                ObjectNode object = NODES.objectNode().put("type", "object");
                object.set("additionalProperties", typeSchema(arguments[1]));
                return object;
            }
            throw new IllegalStateException("no JSON schema for " + generic + ": extend AsyncApiGenerator.typeSchema");
        }
        Class<?> type = (Class<?>) generic;
        if (type == String.class) {
            return NODES.objectNode().put("type", "string");
        }
        if (type == UUID.class) {
            return NODES.objectNode().put("type", "string").put("format", "uuid");
        }
        if (type == OffsetDateTime.class || type == Instant.class) {
            return NODES.objectNode().put("type", "string").put("format", "date-time");
        }
        if (type == boolean.class || type == Boolean.class) {
            return NODES.objectNode().put("type", "boolean");
        }
        if (type == long.class || type == Long.class) {
            return NODES.objectNode().put("type", "integer").put("format", "int64");
        }
        if (type == int.class || type == Integer.class) {
            return NODES.objectNode().put("type", "integer").put("format", "int32");
        }
        if (type == double.class || type == Double.class) {
            return NODES.objectNode().put("type", "number");
        }
        if (type.isEnum() || type.isRecord()) {
            return NODES.objectNode().put("$ref", "#/components/schemas/" + schemaName(type));
        }
        throw new IllegalStateException("no JSON schema for " + type.getName() + ": extend AsyncApiGenerator.typeSchema");
    }

    private static ObjectNode describe(ObjectNode property, String description) {
        if (property.has("$ref")) {
            ObjectNode wrapped = NODES.objectNode();
            wrapped.putArray("allOf").add(property);
            wrapped.put("description", description);
            return wrapped;
        }
        return property.put("description", description);
    }

    // ---------------------------------------------------------------- samples

    /** A valid instance of a record, enum or value type, with readable values where {@link #SAMPLES} has one. */
    static Object sample(Class<?> type) {
        return sample(type, type, null);
    }

    private static Object sample(Class<?> type, Type generic, String name) {
        Object known = name == null ? null : SAMPLES.get(name);
        if (type == String.class) {
            return known instanceof String s ? s : "example " + name;
        }
        if (type == UUID.class) {
            return SAMPLE_ID;
        }
        if (type == OffsetDateTime.class) {
            return SAMPLE_TIME;
        }
        if (type == Instant.class) {
            return SAMPLE_TIME.toInstant();
        }
        if (type == boolean.class || type == Boolean.class) {
            return false;
        }
        if (type == long.class || type == Long.class) {
            return known instanceof Long l ? l : 1L;
        }
        if (type == int.class || type == Integer.class) {
            return known instanceof Long l ? l.intValue() : 1;
        }
        if (type == double.class || type == Double.class) {
            return 1.0;
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        if (List.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)) {
            Type element = ((ParameterizedType) generic).getActualTypeArguments()[0];
            return List.of(sample(raw(element), element, name));
        }
        if (Map.class.isAssignableFrom(type)) {
            Type value = ((ParameterizedType) generic).getActualTypeArguments()[1];
            Map<String, Object> map = new LinkedHashMap<>();
            if (raw(value) == Long.class) {
                map.put("rows", SAMPLES.get("rows"));
                map.put("bytes", SAMPLES.get("bytes"));
            } else {
                map.put("example", sample(raw(value), value, null));
            }
            return map;
        }
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = sample(components[i].getType(), components[i].getGenericType(), components[i].getName());
            }
            try {
                Constructor<?> canonical = type.getDeclaredConstructor(types);
                return canonical.newInstance(values);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("cannot build a sample " + type.getSimpleName() + ": " + e.getCause(), e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no sample for " + type.getName() + ": extend AsyncApiGenerator.sample");
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    private static Object accessor(RecordComponent component, Object instance) {
        try {
            return component.getAccessor().invoke(instance);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- Javadoc

    private Optional<String> javadoc(Class<?> type) {
        String keyword = type.isRecord() ? "record" : type.isEnum() ? "enum" : type.isInterface() ? "interface" : "class";
        return javadoc(type, keyword + "\\s+" + type.getSimpleName() + "\\b");
    }

    /** The Javadoc right before the declaration matching {@code declaration} in the top-level class's source file. */
    private Optional<String> javadoc(Class<?> type, String declaration) {
        Class<?> top = type;
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        Path file = sources.resolve(top.getName().replace('.', '/') + ".java");
        String source;
        try {
            source = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the source of " + top.getName() + " for its Javadoc", e);
        }
        Matcher m = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*"
                + "(?:(?:public|protected|private|static|final|sealed)\\s+)*" + declaration, Pattern.DOTALL).matcher(source);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(clean(m.group(1)));
    }

    private static String clean(String javadoc) {
        StringBuilder text = new StringBuilder();
        for (String line : javadoc.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("*")) {
                trimmed = trimmed.substring(1).strip();
            }
            if (!trimmed.isEmpty()) {
                text.append(text.length() == 0 ? "" : " ").append(trimmed);
            }
        }
        String code = text.toString().replaceAll("\\{@(?:code|literal)\\s+([^}]*)}", "`$1`");
        String links = Pattern.compile("\\{@link(?:plain)?\\s+([^}\\s]*)(?:\\s+([^}]*))?}").matcher(code)
                .replaceAll(link -> Matcher.quoteReplacement(link.group(2) != null ? link.group(2)
                        : "`" + link.group(1).replaceFirst("^#", "").replace('#', '.') + "`"));
        return links.replaceAll("</?(?:p|b|i|em|strong|ul|ol|li|br)\\s*/?>", "");
    }

    private static String firstSentence(String text) {
        int end = text.indexOf(". ");
        return end < 0 ? text : text.substring(0, end + 1);
    }

    private static String pascal(String text) {
        StringBuilder out = new StringBuilder();
        for (String part : text.split("[.\\-]")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }

    private static String capitalize(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static Map<String, String> linked(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
