package dev.cutover.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The world a demo migration acts on: servers {@code eu-1} and {@code eu-2} on the local platform, and the environment
 * {@code shop} on {@code eu-1}: the sample app with a seeded database, a Redis store and a Redis cache, env vars, a domain with a real certificate,
 * and routes for {@code shop.example.com} and {@code shop.apps.localhost} in the edge router.
 */
public final class DemoEnvironment {

    /** The demo environments' tenant. */
    public static final String OWNER = "acme";


    public static final String ENVIRONMENT = "shop";
    public static final String DOMAIN = "shop.example.com";
    public static final String PLATFORM_ADDRESS = "shop.apps.localhost";

    private DemoEnvironment() {
    }

    /** Registers the servers eu-1 and eu-2 and creates {@code shop} on eu-1. */
    public static void create(LocalStack stack, Http http, int customers, int ordersPerCustomer) throws IOException {
        registerServers(stack, http);
        create(stack, http, ENVIRONMENT, DOMAIN, customers, ordersPerCustomer);
    }

    /** Room for the end-to-end tests' environments on one stack (about fifty), not only the demo's. */
    public static void registerServers(LocalStack stack, Http http) {
        for (String server : List.of("eu-1", "eu-2")) {
            http.put(stack.url(LocalStack.Service.LOCAL_PLATFORM) + "/servers/" + server, Map.of("region", "eu",
                    "postgresHost", "127.0.0.1", "postgresPort", stack.server(server).port(),
                    "capacity", Map.of("memoryMb", 32768, "diskMb", 81920, "environments", 120))).orThrow();
        }
    }

    /**
     * Creates environment {@code name} on eu-1 running the sample app, with a seeded database, a domain, and routes for
     * {@code domain} and its platform address {@code <name>.apps.localhost}.
     */
    public static void create(LocalStack stack, Http http, String name, String domain, int customers, int ordersPerCustomer)
            throws IOException {
        create(stack, http, name, domain, customers, ordersPerCustomer, Map.of("SECRET_KEY_BASE", UUID.randomUUID().toString(),
                "PAYMENT_API_KEY", "pk_" + UUID.randomUUID()));
    }

    /** As above, with these secret env vars (a test that looks for their values where they must not be knows them). */
    public static void create(LocalStack stack, Http http, String name, String domain, int customers, int ordersPerCustomer,
                              Map<String, String> secrets) throws IOException {
        Map<String, String> envVars = new java.util.HashMap<>(secrets);
        envVars.put("FEATURE_CHECKOUT_V2", "on");
        String platform = stack.url(LocalStack.Service.LOCAL_PLATFORM);
        http.post(platform + "/environments", Map.of("name", name, "owner", OWNER, "server", "eu-1",
                "plan", Map.of("size", "S", "ha", false))).orThrow();
        String[] certificate = selfSigned(stack.workDir(), domain, "-1d", 90);
        http.put(platform + "/environments/" + name + "/skeleton", Map.of(
                "envVars", envVars,
                "formation", Map.of("web", 1),
                "settings", Map.of("timezone", "Europe/Paris", "force_https", "true"),
                "domains", List.of(Map.of("hostname", domain, "certificatePem", certificate[0], "privateKeyPem", certificate[1])),
                "notifiers", List.of("mailto:ops@acme.test"),
                "logDrains", List.of("syslog+tls://logs.acme.test:6514"),
                "autoscalers", List.of(Map.of("process", "web", "min", 1, "max", 3, "targetCpuPercent", 70)),
                "collaborators", List.of("alice@acme.test", "bob@acme.test"))).orThrow();
        http.post(platform + "/environments/" + name + "/databases",
                Map.of("name", "main", "kind", "postgresql", "plan", "standard")).orThrow();
        // The app keeps its activity in a Redis store (moved with every key) and has a cache (emptied on the target).
        http.post(platform + "/environments/" + name + "/databases", Map.of("name", "activity", "kind", "redis", "plan", "store")).orThrow();
        http.post(platform + "/environments/" + name + "/databases", Map.of("name", "cache", "kind", "redis", "plan", "cache")).orThrow();
        http.post(platform + "/environments/" + name + "/deployments", Map.of("release", LocalStack.SAMPLE_RELEASE)).orThrow();
        String traffic = stack.url(LocalStack.Service.TRAFFIC);
        for (String host : List.of(domain, name + ".apps.localhost")) {
            http.put(traffic + "/routes/" + host, Map.of("environment", name)).orThrow();
        }
        String backend = http.get(platform + "/environments/" + name).orThrow().body().path("backendUrl").asText();
        http.post(backend + "/seed?customers=" + customers + "&ordersPerCustomer=" + ordersPerCustomer, null).orThrow();
    }

    /**
     * A self-signed certificate and its key for {@code hostname}, made with the JDK's keytool: {PEM chain, PEM key}.
     * {@code startDate} is keytool's relative form ({@code -1d}); an old start and a short validity make an expired one.
     */
    public static String[] selfSigned(Path workDir, String hostname, String startDate, int validityDays) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve("certificates"));
        String name = hostname + startDate + "+" + validityDays;
        Path store = dir.resolve(name + ".p12");
        Files.deleteIfExists(store);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", hostname, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + hostname,
                "-ext", "SAN=dns:" + hostname, "-startdate", startDate, "-validity", String.valueOf(validityDays),
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit");
        Path pem = dir.resolve(name + ".pem");
        Files.deleteIfExists(pem);
        run(keytool, "-exportcert", "-rfc", "-alias", hostname, "-keystore", store.toString(), "-storepass", "changeit",
                "-file", pem.toString());
        try {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                ks.load(in, "changeit".toCharArray());
            }
            byte[] key = ks.getKey(hostname, "changeit".toCharArray()).getEncoded();
            String keyPem = "-----BEGIN PRIVATE KEY-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key) + "\n-----END PRIVATE KEY-----\n";
            return new String[] {Files.readString(pem), keyPem};
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the generated key for " + hostname, e);
        }
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command[0], command[1]) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
