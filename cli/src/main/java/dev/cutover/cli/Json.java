package dev.cutover.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Jackson, loaded only when a command needs it (--help and usage errors never do). */
final class Json {

    private static final class Holder {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private Json() {
    }

    static ObjectNode object() {
        return Holder.MAPPER.createObjectNode();
    }

    /** The parsed document, or null if the text is not JSON. */
    static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Holder.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static String write(JsonNode node) {
        try {
            return Holder.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
