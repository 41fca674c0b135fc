package dev.cutover.e2e;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What each service reads from its environment, from its sources: what docker compose and Kubernetes must set. */
final class ServiceSettings {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    private static final Pattern GETENV = Pattern.compile("System\\.getenv\\(\\s*\"([A-Za-z0-9_]+)\"\\s*\\)");
    /** Code every service runs besides its own module. */
    private static final List<String> SHARED_MODULES = List.of("service-kit", "platform-port");

    private ServiceSettings() {
    }

    /** The modules of the reactor that are Quarkus applications (built with the Quarkus plugin). */
    static Set<String> modules() throws IOException {
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

    /** Whether the module is one of Cutover's services, built on the service kit (Kafka, its database, the saga's guarantees). */
    static boolean onTheKit(String module) {
        try {
            return Files.readString(ROOT.resolve(module).resolve("pom.xml")).contains("<artifactId>service-kit</artifactId>");
        } catch (IOException e) {
            throw new AssertionError(module + " has no readable pom.xml", e);
        }
    }

    /**
     * The variables {@code module} reads, each with the default its application.properties gives (or {@code null}), and
     * the kit's shared settings for a service built on the kit.
     */
    static Map<String, String> reads(String module) {
        Map<String, String> variables = new TreeMap<>();
        Properties properties = new Properties();
        List<Path> sources = new ArrayList<>();
        if (onTheKit(module)) {
            sources.add(ROOT.resolve("service-kit/src/main/resources/META-INF/microprofile-config.properties"));
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
}
