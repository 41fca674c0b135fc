package dev.cutover.orchestrator;

import org.junit.jupiter.api.BeforeAll;
import dev.cutover.testkit.TestSupport;
import static dev.cutover.testkit.TestSupport.eventually;
import static dev.cutover.testkit.TestSupport.send;
import static dev.cutover.testkit.TestSupport.uniqueKey;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.MessageCatalog;
import dev.cutover.contracts.Step;
import dev.cutover.contracts.Topics;
import dev.cutover.contracts.migration.StepStarted;
import dev.cutover.testkit.SharedTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lines the orchestrator logs about a migration carry its id (and the trace id) in the MDC, which the JSON log
 * format writes into each line: while one of its messages is handled, and while a REST request addresses it.
 */
@QuarkusTest
@QuarkusTestResource(value = SharedTestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class MigrationLogTest {

    @BeforeAll
    static void authorize() {
        TestSupport.authorize("operator", "service");
    }

    /** A captured line: its message and the MDC it was logged with. */
    record Line(String logger, String message, Map<String, String> mdc) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            // Quarkus runs on JBoss LogManager: every record is an ExtLogRecord, with the MDC of where it was logged.
            ExtLogRecord ext = (ExtLogRecord) record;
            lines.add(new Line(ext.getLoggerName(), String.valueOf(ext.getFormattedMessage()), Map.copyOf(ext.getMdcCopy())));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLines() {
        Logger.getLogger("dev.cutover").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("dev.cutover").removeHandler(capture);
    }

    @Test
    void requestsThatChangeAMigrationAreLoggedWithItsId() {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("environment", uniqueKey("shop"), "targetServer", "eu-2"))
                .post("/migrations").then().statusCode(201).extract().path("id");
        given().post("/migrations/" + id + "/confirm").then().statusCode(409);

        Line created = line("POST /migrations answered 201");
        assertEquals(id, created.mdc().get("migrationId"), created.toString());
        Line refused = line("POST /migrations/" + id + "/confirm answered 409");
        assertEquals(id, refused.mdc().get("migrationId"), refused.toString());
    }

    @Test
    void linesLoggedWhileAMigrationsEventIsHandledCarryItsIdAndTraceId() {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("environment", uniqueKey("shop"), "targetServer", "eu-2"))
                .post("/migrations").then().statusCode(201).extract().path("id");
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        String messageId = UUID.randomUUID().toString();
        send(Topics.STEP_EVENTS, id, Envelopes.encode(Envelopes.wrap("/test",
                new StepStarted(UUID.fromString(id), Step.PREFLIGHT), messageId, "00-" + traceId + "-b7ad6b7169203331-01")));

        String type = MessageCatalog.of(StepStarted.class).type();
        Line handled = eventually(() -> line("handled " + type + " " + messageId + " in "));
        assertEquals(id, handled.mdc().get("migrationId"), handled.toString());
        assertEquals(traceId, handled.mdc().get("traceId"), handled.toString());
    }

    private Line line(String prefix) {
        return lines.stream().filter(l -> l.message().startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + prefix + "' among " + lines));
    }
}
