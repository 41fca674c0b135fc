package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.contracts.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/kubernetes, parsed and checked against the services themselves: every service is a workload with the probes on
 * its health endpoints and resources, given exactly the variables it reads; Cutover's services run twice, each
 * instance with its own consumer identity; every reference to a ConfigMap or Secret key exists; every topic of the
 * contracts is replicated three times with two in-sync replicas. Plain files only: no cluster needed.
 */
class KubernetesManifestsTest {

    private static final Path DIR = ServiceSettings.ROOT.resolve("deploy/kubernetes");
    private static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "Service", "ConfigMap", "Secret", "KafkaTopic");
    private static final List<Map<String, Object>> resources = new ArrayList<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader in = Files.newBufferedReader(file)) {
                    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in)) {
                        if (doc != null) {
                            resources.add((Map<String, Object>) doc);
                        }
                    }
                }
            }
        }
        assertTrue(resources.size() > 10, "deploy/kubernetes holds the resources: " + resources.size());
    }

    @Test
    void everyResourceIsAKnownKindWithAValidName() {
        for (Map<String, Object> r : resources) {
            String name = String.valueOf(map(r.get("metadata")).get("name"));
            assertTrue(KINDS.contains(r.get("kind")), name + ": kind " + r.get("kind"));
            assertNotNull(r.get("apiVersion"), name + " has an apiVersion");
            assertTrue(name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") && name.length() <= 253, "a DNS-1123 name: " + name);
        }
    }

    @Test
    void everyServiceIsAWorkloadWithProbesOnItsHealthAndResources() throws IOException {
        assertEquals(ServiceSettings.modules(), workloads().keySet(), "one workload per service of the reactor");
        workloads().forEach((module, workload) -> {
            Map<String, Object> container = container(workload);
            assertTrue(String.valueOf(container.get("image")).startsWith("ghcr.io/cutover/" + module + ":"), module + " runs its image");
            assertEquals("/q/health/ready", probePath(container, "readinessProbe"), module);
            assertEquals("/q/health/live", probePath(container, "livenessProbe"), module);
            assertEquals("/q/health/started", probePath(container, "startupProbe"), module);
            Map<String, Object> resources = map(container.get("resources"));
            assertNotNull(map(resources.get("requests")).get("cpu"), module + " requests CPU");
            assertNotNull(map(resources.get("requests")).get("memory"), module + " requests memory");
            assertNotNull(map(resources.get("limits")).get("memory"), module + " has a memory limit");
            Object port = ((List<?>) container.get("ports")).stream().map(KubernetesManifestsTest::map)
                    .filter(p -> "http".equals(p.get("name"))).findFirst().orElseThrow().get("containerPort");
            assertTrue(resources("Service").stream().anyMatch(s -> module.equals(map(s.get("metadata")).get("name"))
                    && list(map(s.get("spec")).get("ports")).stream().anyMatch(p -> "http".equals(map(p).get("targetPort")))),
                    module + " has a Service in front of its port " + port);
        });
    }

    @Test
    void eachServiceGetsExactlyTheVariablesItReads() throws IOException {
        Map<String, Set<String>> wrong = new TreeMap<>();
        for (String module : ServiceSettings.modules()) {
            Set<String> reads = new TreeSet<>(ServiceSettings.reads(module).keySet());
            Set<String> given = env(container(workloads().get(module))).keySet().stream().filter(n -> !n.startsWith("QUARKUS_"))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!reads.equals(given)) {
                Set<String> missing = new TreeSet<>(reads);
                missing.removeAll(given);
                Set<String> extra = new TreeSet<>(given);
                extra.removeAll(reads);
                wrong.put(module, Set.of("missing " + missing, "not read " + extra));
            }
        }
        assertEquals(Map.of(), wrong);
    }

    @Test
    void cutoversServicesRunTwiceEachInstanceItsOwnConsumerAndTheRouterOnce() throws IOException {
        for (String module : ServiceSettings.modules()) {
            Map<String, Object> workload = workloads().get(module);
            int replicas = (Integer) map(workload.get("spec")).get("replicas");
            if (ServiceSettings.onTheKit(module)) {
                assertTrue(replicas >= 2, module + " runs at least twice: " + replicas);
                Map<String, Object> instance = env(container(workload)).get("CUTOVER_INSTANCE");
                assertEquals("metadata.name", map(map(map(instance.get("valueFrom")).get("fieldRef"))).get("fieldPath"),
                        module + ": each pod its own static group member");
            } else {
                assertEquals(1, replicas, module + " runs once (a freeze lives in one router's memory; the platform is outside Cutover)");
            }
        }
    }

    @Test
    void everyConfigMapAndSecretKeyReferredToExists() throws IOException {
        List<String> dangling = new ArrayList<>();
        for (String module : ServiceSettings.modules()) {
            env(container(workloads().get(module))).forEach((name, variable) -> {
                Map<String, Object> from = map(variable.get("valueFrom"));
                for (String kind : List.of("ConfigMap", "Secret")) {
                    Map<String, Object> ref = map(from.get(kind.equals("ConfigMap") ? "configMapKeyRef" : "secretKeyRef"));
                    if (!ref.isEmpty() && !keys(kind, String.valueOf(ref.get("name"))).contains(String.valueOf(ref.get("key")))) {
                        dangling.add(module + " " + name + " -> " + kind + " " + ref.get("name") + "/" + ref.get("key"));
                    }
                }
            });
        }
        assertEquals(List.of(), dangling);
    }

    @Test
    void everyTopicIsReplicatedThreeTimesWithTwoInSyncAndPartitionsForEveryInstance() throws IOException {
        int mostInstances = workloads().values().stream().mapToInt(w -> (Integer) map(w.get("spec")).get("replicas")).max().orElseThrow();
        Map<String, Map<String, Object>> topics = resources("KafkaTopic").stream()
                .collect(Collectors.toMap(t -> String.valueOf(map(t.get("metadata")).get("name")), t -> map(t.get("spec"))));
        assertEquals(new TreeSet<>(Topics.ALL), new TreeSet<>(topics.keySet()), "a KafkaTopic for every topic of the contracts");
        topics.forEach((name, spec) -> {
            assertEquals(3, spec.get("replicas"), name);
            assertEquals("2", String.valueOf(map(spec.get("config")).get("min.insync.replicas")), name);
            assertTrue((Integer) spec.get("partitions") >= (name.equals(Topics.DEAD_LETTERS) ? 1 : mostInstances),
                    name + ": enough partitions for every instance of its consumers");
        });
    }

    private static Map<String, Map<String, Object>> workloads() {
        Map<String, Map<String, Object>> found = new TreeMap<>();
        for (Map<String, Object> r : resources) {
            if (Set.of("Deployment", "StatefulSet").contains(r.get("kind"))) {
                found.put(String.valueOf(map(r.get("metadata")).get("name")), r);
            }
        }
        return found;
    }

    private static List<Map<String, Object>> resources(String kind) {
        return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    private static Set<String> keys(String kind, String name) {
        return resources(kind).stream().filter(r -> name.equals(map(r.get("metadata")).get("name")))
                .flatMap(r -> Stream.of(map(r.get("data")), map(r.get("stringData")))).flatMap(m -> m.keySet().stream())
                .collect(Collectors.toSet());
    }

    private static Map<String, Object> container(Map<String, Object> workload) {
        List<Object> containers = list(map(map(map(workload.get("spec")).get("template")).get("spec")).get("containers"));
        assertEquals(1, containers.size(), "one container");
        return map(containers.get(0));
    }

    private static Map<String, Map<String, Object>> env(Map<String, Object> container) {
        Map<String, Map<String, Object>> env = new TreeMap<>();
        for (Object e : list(container.get("env"))) {
            env.put(String.valueOf(map(e).get("name")), map(e));
        }
        return env;
    }

    private static String probePath(Map<String, Object> container, String probe) {
        return String.valueOf(map(map(container.get(probe)).get("httpGet")).get("path"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
