package dev.cutover.orchestrator.notify;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Secrets the orchestrator keeps, sealed at rest: a notifier's address (a webhook's URL often holds its token) is
 * AES-GCM encrypted under {@code cutover.secrets.key}. Deterministic (the nonce is a MAC of the text), so one notifier's
 * rows are still the same value, told apart and kept in order by the database; only equality shows.
 */
@ApplicationScoped
public class Seal {

    private static final String PREFIX = "sealed:v1:";
    private static final int NONCE = 12;

    @ConfigProperty(name = "cutover.secrets.key")
    String key;

    private SecretKeySpec cipherKey;
    private SecretKeySpec nonceKey;

    @PostConstruct
    void init() {
        byte[] master;
        try {
            master = Base64.getDecoder().decode(key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cutover.secrets.key must be base64 (32 random bytes: openssl rand -base64 32)");
        }
        if (master.length < 32) {
            throw new IllegalStateException("cutover.secrets.key must hold at least 32 bytes, base64 (openssl rand -base64 32)");
        }
        // Two keys from one: the cipher's and the nonce's, so that neither is used for both.
        cipherKey = new SecretKeySpec(Arrays.copyOf(mac(new SecretKeySpec(master, "HmacSHA256"), "cipher"), 32), "AES");
        nonceKey = new SecretKeySpec(mac(new SecretKeySpec(master, "HmacSHA256"), "nonce"), "HmacSHA256");
    }

    public String seal(String text) {
        byte[] nonce = Arrays.copyOf(mac(nonceKey, text), NONCE);
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, cipherKey, new GCMParameterSpec(128, nonce));
            byte[] sealed = aes.doFinal(text.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal", e);
        }
    }

    /** The text again; a value stored before sealing began comes back as it is. */
    public String open(String stored) {
        if (!stored.startsWith(PREFIX)) {
            return stored;
        }
        byte[] in = Base64.getUrlDecoder().decode(stored.substring(PREFIX.length()));
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, cipherKey, new GCMParameterSpec(128, in, 0, NONCE));
            return new String(aes.doFinal(in, NONCE, in.length - NONCE), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sealed value does not open with cutover.secrets.key (was the key changed?)", e);
        }
    }

    private static byte[] mac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
