package dev.cutover.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageCatalogTest {

    @Test
    void everyTypeIsUniqueVersionedAndOnAKnownTopic() {
        Set<String> types = new HashSet<>();
        for (MessageCatalog.Entry e : MessageCatalog.entries()) {
            assertTrue(types.add(e.type()), "duplicate type " + e.type());
            assertTrue(e.type().matches("dev\\.cutover\\.[a-z-]+\\.[a-z-]+\\.v1"), e.type());
            assertTrue(Topics.ALL.contains(e.topic()), e.topic());
            assertEquals(e, MessageCatalog.of(e.payload()));
        }
    }

    @Test
    void commandsAreOnlyOnCommandTopicsAndEventsNeverAre() {
        for (MessageCatalog.Entry e : MessageCatalog.entries()) {
            boolean commandTopic = e.topic().endsWith(".commands");
            // Events are past tense (held and caught up are too); MigrationStale keeps the name the issue gives the warning.
            boolean pastTense = e.payload().getSimpleName().matches(".*(ed|Held|CaughtUp|Stale)$");
            assertEquals(!commandTopic, pastTense || e.topic().equals(Topics.MIGRATION_REQUESTS),
                    e.payload().getSimpleName() + " on " + e.topic());
        }
    }
}
