package dev.cutover.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.UUID;

/** A message about one migration: keyed, and CloudEvent subject, by its id. */
public interface MigrationMessage extends Message {
    UUID migrationId();

    @Override
    @JsonIgnore
    default String subject() {
        return migrationId().toString();
    }
}
