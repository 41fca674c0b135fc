package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.stack.LocalStack;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml runs what the embedded stack runs, configured the same way: every service of the reactor is a
 * compose service with a health check, and each gets every variable it reads (the {@code ${VAR:default}} names of its
 * application.properties and any {@code System.getenv("VAR")} in its code), with the same ports and databases as the
 * embedded stack's defaults, and no variable it does not read (a misspelt name would be silently ignored). Plain
 * files only: no Docker needed.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /**
     * Variables a service reads that docker-compose.yml deliberately leaves to the service's default, per service, with
     * the reason. Empty today: every variable is set, the tunable ones from the shell ({@code ${VAR:-default}}).
     */
    private static final Map<String, Map<String, String>> DEFAULTED = Map.of();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    private static final Pattern GETENV = Pattern.compile("System\\.getenv\\(\\s*\"([A-Za-z0-9_]+)\"\\s*\\)");
    /** Code every service runs besides its own module. */
    private static final List<String> SHARED_MODULES = List.of("service-kit", "platform-port");

    private static Map<String, Object> services;
    private static Set<String> modules;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readCompose() throws IOException {
        try (Reader in = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            services = (Map<String, Object>) compose.get("services");
        }
        assertNotNull(services, "docker-compose.yml has no services");
        modules = serviceModules();
    }

    @Test
    void theServicesAreTheReactorsQuarkusModulesAndTheEmbeddedStacks() {
        Set<String> embedded = Arrays.stream(LocalStack.Service.values()).map(LocalStack.Service::module)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(embedded, modules, "the reactor's Quarkus modules are the services the embedded stack starts");
        assertEquals(Set.of("orchestrator", "preflight-service", "provisioning-service", "data-sync-service",
                "traffic-service", "edge-router", "local-platform"), modules);
    }

    @Test
    void everyServiceIsAComposeServiceRunningItsOwnBuildWithAHealthCheck() {
        for (String module : modules) {
            Map<String, Object> service = service(module);
            assertTrue(list(service.get("volumes")).contains("./" + module + "/target/quarkus-app:/app:ro"),
                    module + " runs its own build: " + service.get("volumes"));
            assertTrue(String.valueOf(healthcheck(module).get("test")).contains("/q/health/ready"),
                    module + "'s health check asks /q/health/ready: " + healthcheck(module));
        }
        for (String name : services.keySet()) {
            assertNotNull(healthcheck(name).get("test"), name + " has a health check");
        }
    }

    @Test
    void servicesWaitForTheKafkaAndDatabaseTheyRead() {
        for (String module : modules) {
            Map<String, String> reads = reads(module);
            Map<String, Object> dependsOn = map(service(module).get("depends_on"));
            if (reads.containsKey("CUTOVER_KAFKA")) {
                assertHealthyDependency(module, dependsOn, "kafka");
            }
            if (reads.containsKey("CUTOVER_DB_URL") || reads.containsKey("CUTOVER_PLATFORM_DB_URL")) {
                assertHealthyDependency(module, dependsOn, "postgres");
            }
        }
    }

    @Test
    void everyVariableAServiceReadsIsSetForIt() {
        Map<String, Set<String>> missing = new TreeMap<>();
        for (String module : modules) {
            Set<String> unset = new TreeSet<>(reads(module).keySet());
            unset.removeAll(environment(module).keySet());
            unset.removeAll(DEFAULTED.getOrDefault(module, Map.of()).keySet());
            if (!unset.isEmpty()) {
                missing.put(module, unset);
            }
        }
        assertEquals(Map.of(), missing, "variables the services read that docker-compose.yml does not set");
    }

    @Test
    void everyVariableSetForAServiceIsOneItReads() {
        Map<String, Set<String>> unread = new TreeMap<>();
        for (String module : modules) {
            Set<String> extra = new TreeSet<>(environment(module).keySet());
            extra.removeAll(reads(module).keySet());
            // QUARKUS_* variables are configuration keys themselves, read without a ${...} reference.
            extra.removeIf(name -> name.startsWith("QUARKUS_"));
            if (!extra.isEmpty()) {
                unread.put(module, extra);
            }
        }
        assertEquals(Map.of(), unread, "variables docker-compose.yml sets that the services do not read");
    }

    @Test
    void portsAndDatabasesAreTheEmbeddedStacksDefaults() throws IOException {
        Set<String> created = Pattern.compile("(?im)^\\s*create database (\\w+)\\s*;").matcher(
                Files.readString(ROOT.resolve("docker/init-databases.sql"))).results().map(m -> m.group(1))
                .collect(Collectors.toSet());
        for (String module : modules) {
            Map<String, String> env = environment(module);
            reads(module).forEach((name, fallback) -> {
                String value = env.get(name);
                if (value == null || fallback == null) {
                    return;
                }
                if (name.endsWith("_PORT")) {
                    assertEquals(fallback, value, module + " " + name + " is the port of the README and the embedded stack");
                } else if (name.endsWith("_DB_URL")) {
                    String database = value.substring(value.lastIndexOf('/') + 1);
                    assertEquals(fallback.substring(fallback.lastIndexOf('/') + 1), database, module + " " + name);
                    assertTrue(created.contains(database), database + " is created by docker/init-databases.sql");
                    assertTrue(value.startsWith("jdbc:postgresql://postgres:5432/"), module + " " + name + " = " + value);
                }
            });
        }
        String platformPort = environment("local-platform").get("CUTOVER_PLATFORM_PORT");
        for (String module : modules) {
            String url = environment(module).get("CUTOVER_PLATFORM_URL");
            if (url != null) {
                assertEquals("http://local-platform:" + platformPort, url, module + " reaches the local platform");
            }
        }
    }

    /** The modules of the reactor that are Quarkus applications (built with the Quarkus plugin). */
    private static Set<String> serviceModules() throws IOException {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (m.find()) {
            String module = m.group(1).trim();
            if (Files.readString(ROOT.resolve(module).resolve("pom.xml")).contains("<artifactId>quarkus-maven-plugin</artifactId>")) {
                found.add(module);
            }
        }
        return found;
    }

    /**
     * The variables {@code module} reads, each with the default its application.properties gives (or {@code null}), and
     * the kit's shared settings for a service built on the kit.
     */
    private static Map<String, String> reads(String module) {
        Map<String, String> variables = new TreeMap<>();
        Properties properties = new Properties();
        List<Path> sources = new ArrayList<>();
        try {
            if (Files.readString(ROOT.resolve(module).resolve("pom.xml")).contains("<artifactId>service-kit</artifactId>")) {
                sources.add(ROOT.resolve("service-kit/src/main/resources/META-INF/microprofile-config.properties"));
            }
        } catch (IOException e) {
            throw new AssertionError(module + " has no readable pom.xml", e);
        }
        sources.add(ROOT.resolve(module).resolve("src/main/resources/application.properties"));
        for (Path file : sources) {
            try (Reader in = Files.newBufferedReader(file)) {
                properties.load(in);
            } catch (IOException e) {
                throw new AssertionError(module + ": " + file + " is not readable", e);
            }
        }
        properties.forEach((key, value) -> {
            // Dev and test profile values never run in a container.
            if (key.toString().startsWith("%") && !key.toString().startsWith("%prod.")) {
                return;
            }
            Matcher m = VARIABLE.matcher(value.toString());
            while (m.find()) {
                variables.put(m.group(1), m.group(2));
            }
        });
        Stream.concat(Stream.of(module), SHARED_MODULES.stream()).forEach(source -> {
            Path code = ROOT.resolve(source).resolve("src/main/java");
            if (!Files.isDirectory(code)) {
                return;
            }
            try (Stream<Path> files = Files.walk(code)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = GETENV.matcher(Files.readString(file));
                    while (m.find()) {
                        variables.putIfAbsent(m.group(1), null);
                    }
                }
            } catch (IOException e) {
                throw new AssertionError("cannot read " + code, e);
            }
        });
        return variables;
    }

    /** The environment docker-compose.yml gives {@code name} (map or list form), merge keys resolved. */
    private static Map<String, String> environment(String name) {
        Object environment = service(name).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((k, v) -> result.put(k.toString(), v == null ? "" : v.toString()));
        } else {
            for (String entry : list(environment)) {
                int eq = entry.indexOf('=');
                result.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
            }
        }
        return result;
    }

    private static Map<String, Object> service(String name) {
        assertTrue(services.containsKey(name), "docker-compose.yml has no service " + name + "; it has " + services.keySet());
        return map(services.get(name));
    }

    private static Map<String, Object> healthcheck(String name) {
        return map(service(name).get("healthcheck"));
    }

    private static void assertHealthyDependency(String module, Map<String, Object> dependsOn, String dependency) {
        assertEquals("service_healthy", map(dependsOn.get(dependency)).get("condition"),
                module + " starts once " + dependency + " is healthy: " + dependsOn);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<String> list(Object value) {
        return value instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }
}
