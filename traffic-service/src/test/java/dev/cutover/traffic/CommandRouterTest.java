package dev.cutover.traffic;

import org.junit.jupiter.api.BeforeAll;
import dev.cutover.testkit.TestSupport;
import static dev.cutover.testkit.TestSupport.awaitRecords;
import static dev.cutover.testkit.TestSupport.query;
import static dev.cutover.testkit.TestSupport.send;
import static dev.cutover.testkit.TestSupport.uniqueKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Message;
import dev.cutover.contracts.Topics;
import dev.cutover.contracts.traffic.HoldTraffic;
import dev.cutover.contracts.traffic.SwitchTraffic;
import dev.cutover.contracts.traffic.TrafficHoldFailed;
import dev.cutover.contracts.traffic.TrafficSwitchFailed;
import dev.cutover.contracts.traffic.TrafficSwitched;
import dev.cutover.testkit.SharedTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The traffic service driving another router through the {@code command} adapter: a script standing in for one that
 * edits an nginx map or calls HAProxy's runtime API. It logs every call, prints 3 held requests on release, and refuses
 * (exit 1, a reason on stderr) anything about an environment whose name starts with "refuse", and takes 5 s to hold
 * one whose name starts with "slow".
 */
@QuarkusTest
@TestProfile(CommandRouterTest.ScriptRouter.class)
@QuarkusTestResource(value = SharedTestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "traffic"))
@QuarkusTestResource(FakePlatform.class)
class CommandRouterTest {

    @BeforeAll
    static void authorize() {
        TestSupport.authorize("operator", "service");
    }

    // A fixed place: the profile and the test are loaded by different class loaders, each with its own statics.
    static final Path DIR = Path.of("target", "command-router").toAbsolutePath();
    static final Path LOG = DIR.resolve("calls.log");

    public static class ScriptRouter implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path script = DIR.resolve("router.sh");
            try {
                Files.createDirectories(DIR);
                Files.writeString(script, """
                        #!/bin/sh
                        for a in "$@"; do case "$a" in refuse*) echo "the load balancer said no to $a" >&2; exit 1;; esac; done
                        case "$1 $2" in "hold slow"*) sleep 5;; esac
                        echo "$*" >> '%s'
                        [ "$1" = release ] && echo 3
                        exit 0
                        """.formatted(LOG));
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("cutover.router.adapter", "command", "cutover.router.command", script.toString());
        }
    }

    @Test
    void aSwitchOverHoldsPointsTheRoutesAtTheTargetAndReleasesThroughTheCommand() {
        String source = uniqueKey("shop");
        String target = source + "-eu-2";
        String host = source + ".example.test";
        UUID migration = heldWithARoute(source, target);

        command(migration, new SwitchTraffic(migration, source, target));

        TrafficSwitched switched = (TrafficSwitched) Envelopes.read(awaitEvent(migration, "traffic.switched"));
        assertEquals(3, switched.heldRequests(), "the held count the router printed");
        List<String> calls = calls(source);
        assertEquals("apply " + host + " " + source + " http://10.0.0.1:8080", calls.get(0));
        assertEquals("hold " + source, calls.get(1));
        assertEquals("apply " + host + " " + target + " http://10.0.0.2:8080", calls.get(2));
        assertTrue(calls.contains("apply " + target + ".apps.localhost " + target + " http://10.0.0.2:8080"), calls.toString());
        assertEquals("release " + source, calls.get(calls.size() - 1), "released only once every route points at the target");
        assertEquals(List.of(List.of(target)), query("traffic", "select environment from route where hostname = ?", host));
    }

    @Test
    void aSwitchTheRouterRefusesKeepsTheRoutesOnTheSourceAndReleasesThere() {
        String source = uniqueKey("shop");
        String target = uniqueKey("refuse");
        String host = source + ".example.test";
        UUID migration = heldWithARoute(source, target);

        command(migration, new SwitchTraffic(migration, source, target));

        TrafficSwitchFailed failed = (TrafficSwitchFailed) Envelopes.read(awaitEvent(migration, "traffic.switch-failed"));
        assertEquals("router command 'apply " + host + "' failed (exit 1): the load balancer said no to " + target
                + ": the source kept serving", failed.reason());
        assertEquals(List.of(List.of(source)), query("traffic", "select environment from route where hostname = ?", host));
        List<String> calls = calls(source);
        assertEquals("apply " + host + " " + source + " http://10.0.0.1:8080", calls.get(calls.size() - 2), "handed the source's route again");
        assertEquals("release " + source, calls.get(calls.size() - 1));
    }

    @Test
    void aFreezeTheRouterRefusesFailsWithTheRoutersReasonAndHoldsNothing() {
        String source = uniqueKey("refuse");
        FakePlatform.environment(source + "-eu-2", "http://10.0.0.2:8080");
        UUID migration = UUID.randomUUID();

        command(migration, new HoldTraffic(migration, source, source + "-eu-2"));

        TrafficHoldFailed failed = (TrafficHoldFailed) Envelopes.read(awaitEvent(migration, "traffic.hold-failed"));
        assertEquals("router command 'hold " + source + "' failed (exit 1): the load balancer said no to " + source, failed.reason());
        assertEquals(List.of(), calls(source));
    }

    @Test
    void aSlowFreezeOfOneMigrationDoesNotHoldAnotherMigrationsFreezeBehindIt() {
        String slow = uniqueKey("slow");
        String quick = uniqueKey("shop");
        FakePlatform.environment(slow + "-eu-2", "http://10.0.0.2:8080");
        FakePlatform.environment(quick + "-eu-2", "http://10.0.0.2:8080");
        UUID first = UUID.randomUUID();
        // On the same partition, right behind it: one at a time, the second would wait the first's 5 s.
        UUID second = UUID.fromString(TestSupport.keyBeside(Topics.TRAFFIC_COMMANDS, first.toString()));

        command(first, new HoldTraffic(first, slow, slow + "-eu-2"));
        command(second, new HoldTraffic(second, quick, quick + "-eu-2"));

        long quickHeld = awaitRecord(second, "traffic.held").timestamp();
        long slowHeld = awaitRecord(first, "traffic.held").timestamp();
        assertTrue(quickHeld < slowHeld, "the second migration's freeze was held " + (quickHeld - slowHeld)
                + " ms after the first's slow one: it waited behind it");
    }

    @Test
    void aFreezeWhoseTargetDoesNotRunFailsBeforeAnythingIsHeld() {
        String source = uniqueKey("shop");
        UUID migration = UUID.randomUUID();

        command(migration, new HoldTraffic(migration, source, source + "-nowhere"));

        TrafficHoldFailed failed = (TrafficHoldFailed) Envelopes.read(awaitEvent(migration, "traffic.hold-failed"));
        assertEquals(source + "-nowhere does not run: nothing was held, the source keeps serving", failed.reason());
        assertEquals(List.of(), calls(source), "the router was not asked to hold");
    }

    @Test
    void aRouteTheRouterRefusesIsAnswered502AndNotStored() {
        String environment = uniqueKey("refuse");
        String host = environment + ".example.test";

        given().contentType(ContentType.JSON).body("{\"environment\":\"" + environment + "\"}").put("/routes/" + host).then()
                .statusCode(502).contentType("application/problem+json")
                .body("detail", is("router command 'apply " + host + "' failed (exit 1): the load balancer said no to " + host
                        + "; the route was not changed"));
        assertEquals(List.of(), query("traffic", "select environment from route where hostname = ?", host));
    }

    /**
     * Both environments running (source at 10.0.0.1, target at 10.0.0.2), {@code <source>.example.test} routed to the
     * source, and a migration whose freeze holds the source: what a switch-over starts from.
     */
    private static UUID heldWithARoute(String source, String target) {
        FakePlatform.environment(source, "http://10.0.0.1:8080");
        FakePlatform.environment(target, "http://10.0.0.2:8080");
        given().contentType(ContentType.JSON).body("{\"environment\":\"" + source + "\"}").put("/routes/" + source + ".example.test")
                .then().statusCode(200);
        UUID migration = UUID.randomUUID();
        command(migration, new HoldTraffic(migration, source, target));
        awaitEvent(migration, "traffic.held");
        return migration;
    }

    private static void command(UUID migration, Message command) {
        send(Topics.TRAFFIC_COMMANDS, migration.toString(), Envelopes.encode(Envelopes.wrap("/test", command)));
    }

    private static String awaitEvent(UUID migration, String type) {
        return awaitRecord(migration, type).value();
    }

    private static org.apache.kafka.clients.consumer.ConsumerRecord<String, String> awaitRecord(UUID migration, String type) {
        return awaitRecords(Topics.STEP_EVENTS, migration.toString(),
                r -> Envelopes.decode(r.value()).type().equals("dev.cutover." + type + ".v1"), 1).get(0);
    }

    /** The router calls that name this environment, in order. */
    private static List<String> calls(String environment) {
        try {
            return (Files.exists(LOG) ? Files.readAllLines(LOG) : List.<String>of()).stream()
                    .filter(line -> line.contains(environment)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
