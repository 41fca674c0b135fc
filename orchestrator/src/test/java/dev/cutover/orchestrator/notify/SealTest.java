package dev.cutover.orchestrator.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SealTest {

    private static final String WEBHOOK = "https://hooks.example.com/services/T000/B000/s3cr3t-t0ken";

    @Test
    void aSealedAddressShowsNothingOfItselfAndOpensWithTheKeyOnly() {
        Seal seal = seal("a".repeat(32));
        String sealed = seal.seal(WEBHOOK);
        assertFalse(sealed.contains("s3cr3t") || sealed.contains("hooks.example.com"), sealed);
        assertEquals(WEBHOOK, seal.open(sealed));
        assertEquals(sealed, seal.seal(WEBHOOK), "the same address seals the same: the database still tells one notifier's rows");
        assertNotEquals(sealed, seal.seal(WEBHOOK + "x"));
        assertThrows(IllegalStateException.class, () -> seal("b".repeat(32)).open(sealed), "another key does not open it");
        assertEquals("mailto:ops@acme.test", seal.open("mailto:ops@acme.test"), "a value kept before sealing began reads as it is");
    }

    @Test
    void aKeyTooShortOrNotBase64IsRefusedAtStart() {
        assertTrue(assertThrows(IllegalStateException.class, () -> seal("short")).getMessage().contains("at least 32 bytes"));
        Seal garbage = new Seal();
        garbage.key = "not base64 !";
        assertTrue(assertThrows(IllegalStateException.class, garbage::init).getMessage().contains("must be base64"));
    }

    private static Seal seal(String key) {
        Seal seal = new Seal();
        seal.key = Base64.getEncoder().encodeToString(key.getBytes());
        seal.init();
        return seal;
    }
}
