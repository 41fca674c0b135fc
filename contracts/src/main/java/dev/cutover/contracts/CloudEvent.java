package dev.cutover.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/**
 * The CloudEvents 1.0 envelope (structured JSON mode) around every command and event.
 * {@code schemaversion} is an extension attribute: the major version of {@code data}'s schema, also the {@code .vN} of the type.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        OffsetDateTime time,
        String datacontenttype,
        String schemaversion,
        String traceparent,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
}
