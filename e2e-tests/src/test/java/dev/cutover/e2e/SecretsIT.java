package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.stack.DemoEnvironment;
import dev.cutover.stack.LocalStack;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An environment's secrets (its env var values, its databases' passwords, its domain's private key) and the tokens that
 * moved it appear in no service's log, no API answer, no Kafka message and no service's own database.
 */
class SecretsIT {

    @Test
    void aMovedEnvironmentsSecretsAreNowhereCutoverWritesOrAnswers() throws Exception {
        Map<String, String> envVars = Map.of("SECRET_KEY_BASE", "skb-" + UUID.randomUUID(), "PAYMENT_API_KEY", "pk_live_" + UUID.randomUUID());
        DemoEnvironment.create(Stack.get(), Stack.HTTP, "vault", "vault.example.com", 50, 2, envVars);
        String id = Stack.start("vault", Map.of("strategy", "snapshot", "autoConfirm", true));
        JsonNode done = Stack.awaitState(id, s -> Stack.TERMINAL.contains(s), Duration.ofSeconds(120));
        assertEquals("completed", done.path("state").asText(), done.toPrettyString());

        Map<String, String> secrets = new LinkedHashMap<>(envVars);
        for (String environment : List.of("vault", "vault-eu-2")) {
            for (String database : List.of("main", "activity", "cache")) {
                secrets.put(environment + "/" + database + " password", Stack.HTTP.get(Stack.platform() + "/environments/" + environment
                        + "/databases/" + database + "/credentials").orThrow().body().path("password").asText());
            }
        }
        secrets.put("the operator's token", Stack.get().userToken());
        secrets.values().forEach(v -> assertTrue(v.length() >= 16, "a secret worth looking for"));

        List<String> found = new ArrayList<>();
        for (LocalStack.Service s : LocalStack.Service.values()) {
            if (s != LocalStack.Service.LOCAL_PLATFORM) {
                look(found, s.name().toLowerCase() + "'s log", Files.readString(Stack.get().log(s)), secrets);
            }
        }
        look(found, "GET /migrations/" + id, Stack.migration(id).toString(), secrets);
        look(found, "GET /migrations", Stack.HTTP.get(Stack.api() + "/migrations").orThrow().body().toString(), secrets);
        look(found, "POST /plans", Stack.HTTP.post(Stack.api() + "/plans", Map.of("environment", "vault-eu-2", "targetServer", "eu-1"))
                .orThrow().body().toString(), secrets);
        for (String topic : dev.cutover.contracts.Topics.ALL) {
            for (ProgressRecorder.Seen seen : Stack.recorder().on(topic)) {
                look(found, "a message on " + topic, seen.value() + " " + seen.key(), secrets);
            }
        }
        for (LocalStack.Service s : LocalStack.Service.values()) {
            if (s != LocalStack.Service.LOCAL_PLATFORM && s.database() != null) {
                look(found, s.name().toLowerCase() + "'s database", everyRow(s.database()), secrets);
            }
        }
        assertEquals(List.of(), found, "where secrets were found (their names, not their values)");
        List<String> kept = new ArrayList<>();
        look(kept, "the platform's database", everyRow(LocalStack.Service.LOCAL_PLATFORM.database()), secrets);
        assertTrue(kept.contains("SECRET_KEY_BASE in the platform's database"), "the search finds a secret where it is kept: " + kept);
    }

    private static void look(List<String> found, String where, String text, Map<String, String> secrets) {
        secrets.forEach((name, value) -> {
            if (text.contains(value)) {
                found.add(name + " in " + where);
            }
        });
        if (text.contains("PRIVATE KEY-----")) {
            found.add("a private key in " + where);
        }
    }

    /** Every row of every table of a service's own database, as text. */
    private static String everyRow(String database) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c = Stack.get().control().connect(database); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = st.executeQuery("select format('%I.%I', schemaname, tablename) from pg_tables"
                    + " where schemaname not in ('pg_catalog', 'information_schema')")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            assertTrue(tables.size() > 2, database + " has tables: " + tables);
            for (String table : tables) {
                try (ResultSet r = st.executeQuery("select t::text from " + table + " t")) {
                    while (r.next()) {
                        all.append(r.getString(1)).append('\n');
                    }
                }
            }
        }
        return all.toString();
    }
}
