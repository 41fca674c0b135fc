package dev.cutover.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Wraps messages in CloudEvents and reads them back. Unknown fields are tolerated; anything else malformed is refused with a reason. */
public final class Envelopes {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // A message's maps (figures) in one order whatever map holds them: the same message encodes the same.
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // An absent flag or count reads as false or 0: a sender that predates a field is still understood.
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Envelopes() {
    }

    /** The mapper the contracts use, for code that reads {@code data} or writes documents of the same shape. */
    public static ObjectMapper json() {
        return JSON;
    }

    /** A new envelope around a message, with a fresh id. */
    public static CloudEvent wrap(String source, Message payload) {
        return wrap(source, payload, UUID.randomUUID().toString(), null);
    }

    public static CloudEvent wrap(String source, Message payload, String id, String traceparent) {
        MessageCatalog.Entry entry = MessageCatalog.of(payload.getClass());
        return new CloudEvent(CloudEvent.SPEC_VERSION, id, source, entry.type(), payload.subject(),
                OffsetDateTime.now(ZoneOffset.UTC), "application/json", MessageCatalog.SCHEMA_VERSION, traceparent,
                JSON.valueToTree(payload));
    }

    public static String encode(CloudEvent event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write envelope " + event.id(), e);
        }
    }

    /** Reads and checks an envelope; the payload stays JSON until {@link #payload(CloudEvent)}. */
    public static CloudEvent decode(String text) {
        if (text == null || text.isBlank()) {
            throw new MalformedMessageException("empty message");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new MalformedMessageException("not a JSON object");
        }
        CloudEvent event;
        try {
            event = JSON.treeToValue(tree, CloudEvent.class);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not a CloudEvent: " + e.getOriginalMessage());
        }
        if (!CloudEvent.SPEC_VERSION.equals(event.specversion())) {
            throw new MalformedMessageException("unsupported CloudEvents specversion '" + event.specversion() + "'");
        }
        requireAttribute(event.id(), "id");
        requireAttribute(event.source(), "source");
        requireAttribute(event.type(), "type");
        requireAttribute(event.subject(), "subject");
        if (event.schemaversion() != null && !MessageCatalog.SCHEMA_VERSION.equals(event.schemaversion())) {
            throw new MalformedMessageException("unsupported schemaversion '" + event.schemaversion() + "' for " + event.type());
        }
        if (MessageCatalog.byType(event.type()).isEmpty()) {
            throw new MalformedMessageException("unknown type '" + event.type() + "'");
        }
        if (event.data() == null || !event.data().isObject()) {
            throw new MalformedMessageException("missing data object in " + event.type());
        }
        return event;
    }

    /** The typed message inside a decoded envelope. */
    public static Message payload(CloudEvent event) {
        Class<? extends Message> type = MessageCatalog.byType(event.type())
                .orElseThrow(() -> new MalformedMessageException("unknown type '" + event.type() + "'"))
                .payload();
        try {
            return JSON.treeToValue(event.data(), type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new MalformedMessageException("invalid " + event.type() + ": " + cause.getMessage());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedMessageException("invalid " + event.type() + ": " + rootMessage(e));
        }
    }

    /** Decode and unwrap in one go. */
    public static Message read(String text) {
        return payload(decode(text));
    }

    private static void requireAttribute(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new MalformedMessageException("missing CloudEvent attribute '" + name + "'");
        }
    }

    private static String rootMessage(Exception e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }
}
