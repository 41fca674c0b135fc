package dev.cutover.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The local stack's token issuer: an RSA key pair kept in a directory (created once, with the orchestrator's key for
 * the secrets it keeps), and RS256 JWTs signed with it, as
 * an identity provider would issue them. The services verify tokens with the public key only ({@code
 * CUTOVER_JWT_PUBLIC_KEY}). Roles, in the {@code groups} claim: {@code viewer} (reads), {@code operator} (moves
 * environments), both within the token's {@code tenant}; {@code admin} (every tenant); {@code service} (Cutover's
 * services, every tenant, and the only role that uses the platform's API), {@code credentials} (the services that log in
 * to environments' databases, and the only role that reads their passwords).
 */
public final class Tokens {

    public static final String ISSUER = "cutover";
    /** The role that may read a database's credentials on the platform. */
    public static final String CREDENTIALS = "credentials";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey privateKey;
    private final Path publicKeyFile;
    private final String secretsKey;

    private Tokens(PrivateKey privateKey, Path publicKeyFile, String secretsKey) {
        this.privateKey = privateKey;
        this.publicKeyFile = publicKeyFile;
        this.secretsKey = secretsKey;
    }

    /** The issuer whose keys are in {@code dir}: made there on first use (the private key readable by its owner only). */
    public static synchronized Tokens in(Path dir) {
        Path privateFile = dir.resolve("jwt-private.pem");
        Path publicFile = dir.resolve("jwt-public.pem");
        try {
            if (!Files.exists(privateFile) || !Files.exists(publicFile)) {
                Files.createDirectories(dir);
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Path written = Files.writeString(dir.resolve("jwt-private.pem.tmp"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                try {
                    Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // a file system without POSIX permissions: the directory's own protection applies
                }
                Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                Files.move(written, privateFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            Path secretsFile = dir.resolve("secrets.key");
            if (!Files.exists(secretsFile)) {
                byte[] key = new byte[32];
                new java.security.SecureRandom().nextBytes(key);
                Path written = Files.writeString(dir.resolve("secrets.key.tmp"), Base64.getEncoder().encodeToString(key));
                try {
                    Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // as above
                }
                Files.move(written, secretsFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            byte[] der = Base64.getMimeDecoder().decode(Files.readString(privateFile)
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").trim());
            return new Tokens(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)), publicFile,
                    Files.readString(secretsFile).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the token keys in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make or read the token keys in " + dir, e);
        }
    }

    /** The keys the tests of one machine share: every test JVM (and class loader) finds the same ones. */
    public static Tokens forTests() {
        return in(Path.of(System.getProperty("java.io.tmpdir"), "cutover-test-keys"));
    }

    /** The key the orchestrator seals the secrets it keeps with ({@code CUTOVER_SECRETS_KEY}), kept beside the issuer's. */
    public String secretsKey() {
        return secretsKey;
    }

    /** The public key's PEM file, which every service verifies tokens with. */
    public Path publicKeyFile() {
        return publicKeyFile;
    }

    /** A signed token for {@code subject} of {@code tenant} (none: {@code null}) with these roles, valid for {@code life}. */
    public String mint(String subject, String tenant, Duration life, String... roles) {
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", subject);
        claims.put("upn", subject);
        if (tenant != null) {
            claims.put("tenant", tenant);
        }
        claims.put("groups", List.of(roles));
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(life).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        try {
            String signed = URL.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT"))) + "."
                    + URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(privateKey);
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + URL.encodeToString(rsa.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /**
     * The token service {@code name} calls the platform with (role service), with the role credentials only for a service
     * that logs in to environments' databases (data-sync copies them, preflight probes them).
     */
    public String service(String name, boolean readsCredentials) {
        return readsCredentials ? mint(name, null, Duration.ofDays(365), "service", CREDENTIALS)
                : mint(name, null, Duration.ofDays(365), "service");
    }

    /** The token of the tests and benchmarks: they drive the API and read credentials as the platform's admin would. */
    public String harness() {
        return mint("cutover-harness", null, Duration.ofDays(1), "admin", "service", CREDENTIALS);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
