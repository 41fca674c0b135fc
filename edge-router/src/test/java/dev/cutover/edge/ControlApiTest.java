package dev.cutover.edge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.stack.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The edge router's control API on its own (the proxying and the freezes are driven through it by the traffic
 * service's tests): who may use it, what it refuses, and that what it takes is kept for its next start.
 */
@QuarkusTest
@QuarkusTestResource(ControlApiTest.Keys.class)
class ControlApiTest {

    /** The test issuer's keys exist before the router starts (it reads the public key at start). */
    public static class Keys implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Tokens.forTests();
            return Map.of();
        }

        @Override
        public void stop() {
        }
    }

    private static String bearer(String... roles) {
        return "Bearer " + Tokens.forTests().mint("test", "acme", Duration.ofMinutes(10), roles);
    }

    @Test
    void onlyCutoversServicesAndAnAdminMayDriveIt() {
        String host = "who-" + UUID.randomUUID() + ".example.test";
        given().contentType(ContentType.JSON).body("{\"environment\":\"shop\"}").put("/routes/" + host).then().statusCode(401);
        given().header("Authorization", bearer("operator")).contentType(ContentType.JSON).body("{\"environment\":\"shop\"}")
                .put("/routes/" + host).then().statusCode(403);
        given().header("Authorization", bearer("viewer")).post("/freezes/shop").then().statusCode(403);
        given().header("Authorization", bearer("service")).get("/routes").then().statusCode(200).body("hostname", not(hasItem(host)));

        given().header("Authorization", bearer("admin")).contentType(ContentType.JSON).body("{\"environment\":\"shop\"}")
                .put("/routes/" + host).then().statusCode(200).body("hostname", is(host));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aRouteWithoutAnEnvironmentIsRefusedAndChangesNothing() {
        String host = "bad-" + UUID.randomUUID() + ".example.test";
        given().header("Authorization", bearer("service")).contentType(ContentType.JSON).body("{}").put("/routes/" + host).then()
                .statusCode(422).contentType("application/problem+json").body("detail", containsString("environment"));
        given().header("Authorization", bearer("service")).get("/routes").then().body("hostname", not(hasItem(host)));
    }

    @Test
    void aSwitchOversRoutesAreTakenAtOnceAndNoneIfOneIsIncomplete() throws Exception {
        String one = "one-" + UUID.randomUUID() + ".example.test";
        String two = "two-" + UUID.randomUUID() + ".example.test";
        given().header("Authorization", bearer("service")).contentType(ContentType.JSON)
                .body("[{\"hostname\":\"" + one + "\",\"environment\":\"shop\"},{\"hostname\":\"" + two + "\"}]")
                .put("/routes").then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("hostname and an environment"));
        given().header("Authorization", bearer("service")).get("/routes").then().body("hostname", not(hasItem(one)));

        given().header("Authorization", bearer("service")).contentType(ContentType.JSON)
                .body("[{\"hostname\":\"" + one + "\",\"environment\":\"shop-eu-2\"},{\"hostname\":\"" + two
                        + "\",\"environment\":\"shop-eu-2\",\"forwardUntil\":\"2030-01-01T00:00:00Z\",\"movedTo\":\"" + one + "\"}]")
                .put("/routes").then().statusCode(200);
        given().header("Authorization", bearer("service")).get("/routes").then().body("hostname", hasItem(one)).body("hostname", hasItem(two));
        String kept = Files.readString(Path.of("target/routes.json"));
        assertTrue(kept.contains(one) && kept.contains(two), kept);
    }

    @Test
    void everyRouteItTakesIsKeptForItsNextStartAndARemovedOneIsNot() throws Exception {
        String host = "kept-" + UUID.randomUUID() + ".example.test";
        Path file = Path.of("target/routes.json");
        given().header("Authorization", bearer("service")).contentType(ContentType.JSON)
                .body("{\"environment\":\"shop-eu-2\",\"forwardUntil\":\"2030-01-01T00:00:00Z\",\"movedTo\":\"shop-eu-2.apps.localhost\"}")
                .put("/routes/" + host).then().statusCode(200);
        String kept = Files.readString(file);
        assertTrue(kept.contains(host) && kept.contains("shop-eu-2.apps.localhost"), kept);

        given().header("Authorization", bearer("service")).delete("/routes/" + host).then().statusCode(204);
        assertFalse(Files.readString(file).contains(host));
    }

    @Test
    void aFreezeOfAnEnvironmentWithNothingInFlightBeginsAtOnceAndEndsReportingWhatItHeld() {
        String environment = "idle-" + UUID.randomUUID();
        given().header("Authorization", bearer("service")).post("/freezes/" + environment).then().statusCode(200).body("drained", is(true));
        given().header("Authorization", bearer("service")).get("/freezes/" + environment).then().body("holding", is(true));
        given().header("Authorization", bearer("service")).delete("/freezes/" + environment).then().statusCode(200)
                .body("heldRequests", is(0));
        given().header("Authorization", bearer("service")).get("/freezes/" + environment).then().body("holding", is(false));
    }
}
