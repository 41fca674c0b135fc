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

    private static final Path ROOT = ServiceSettings.ROOT;
    /**
     * Variables a service reads that docker-compose.yml deliberately leaves to the service's default, per service, with
     * the reason. Empty today: every variable is set, the tunable ones from the shell ({@code ${VAR:-default}}).
     */
    private static final Map<String, Map<String, String>> DEFAULTED = Map.of();

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
        modules = ServiceSettings.modules();
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
            Map<String, String> reads = ServiceSettings.reads(module);
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
            Set<String> unset = new TreeSet<>(ServiceSettings.reads(module).keySet());
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
            extra.removeAll(ServiceSettings.reads(module).keySet());
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
            ServiceSettings.reads(module).forEach((name, fallback) -> {
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
