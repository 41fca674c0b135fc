package dev.cutover.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.contracts.migration.MigrationRequested;
import dev.cutover.contracts.preflight.CheckResult;
import dev.cutover.contracts.preflight.PreflightFailed;
import dev.cutover.contracts.preflight.RunPreflight;
import dev.cutover.contracts.traffic.UndoHoldTraffic;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EnvelopesTest {

    private static final UUID MIGRATION = UUID.fromString("6f1c2a0e-8d4b-4c53-9a51-2a7e3c1d9b10");

    @Test
    void aCommandSurvivesTheRoundTripWithItsEnvelopeAttributes() {
        RunPreflight command = new RunPreflight(MIGRATION, "shop", "eu-2", Strategy.SNAPSHOT, false, null, false, null);

        String json = Envelopes.encode(Envelopes.wrap("/cutover/orchestrator", command));
        CloudEvent decoded = Envelopes.decode(json);

        assertEquals("dev.cutover.preflight.run.v1", decoded.type());
        assertEquals(MIGRATION.toString(), decoded.subject());
        assertEquals("/cutover/orchestrator", decoded.source());
        assertEquals("1", decoded.schemaversion());
        assertEquals(command, Envelopes.payload(decoded));
        assertTrue(json.contains("\"strategy\":\"snapshot\""), json);
    }

    @Test
    void nestedRecordsAndEnumsSurviveTheRoundTrip() {
        PreflightFailed event = new PreflightFailed(MIGRATION, false, List.of(
                new CheckResult("target-online", CheckResult.Severity.BLOCKER, CheckResult.Outcome.FAIL, "server eu-2 is offline")),
                "server eu-2 is offline");

        assertEquals(event, Envelopes.read(Envelopes.encode(Envelopes.wrap("/cutover/preflight-service", event))));
    }

    @Test
    void aRequestIsKeyedByItsEnvironment() {
        MigrationRequested request = new MigrationRequested("shop", "eu-2", Strategy.LIVE, null, false, "portal", 500L, false, null, null, "acme");

        assertEquals("shop", Envelopes.wrap("/portal", request).subject());
    }

    @Test
    void unknownFieldsInEnvelopeAndDataAreTolerated() {
        String json = """
                {"specversion":"1.0","id":"1","source":"/portal","type":"dev.cutover.preflight.run.v1",
                 "subject":"%s","futureattribute":"x",
                 "data":{"migrationId":"%s","environment":"shop","targetServer":"eu-2","strategy":"live","addedLater":42}}
                """.formatted(MIGRATION, MIGRATION);

        assertEquals(new RunPreflight(MIGRATION, "shop", "eu-2", Strategy.LIVE, false, null, false, null), Envelopes.read(json));
    }

    @Test
    void textThatIsNotJsonIsRefusedWithAReason() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> Envelopes.read("{not json"));
        assertTrue(e.getMessage().startsWith("not JSON"), e.getMessage());
    }

    @Test
    void aTypeRenamedInThisVersionIsStillReadUnderItsOldName() {
        String json = """
                {"specversion":"1.0","id":"1","source":"/cutover/orchestrator","type":"dev.cutover.traffic.release-traffic.v1",
                 "subject":"%s","data":{"migrationId":"%s","environment":"shop"}}""".formatted(MIGRATION, MIGRATION);

        assertEquals(new UndoHoldTraffic(MIGRATION, "shop"), Envelopes.read(json));
        assertEquals("dev.cutover.traffic.undo-hold-traffic.v1", Envelopes.wrap("/x", new UndoHoldTraffic(MIGRATION, "shop")).type(),
                "written under its new name only");
    }

    @Test
    void anUnknownTypeIsRefusedByName() {
        String json = """
                {"specversion":"1.0","id":"1","source":"/x","type":"dev.cutover.nope.v1","subject":"s","data":{}}""";
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> Envelopes.read(json));
        assertEquals("unknown type 'dev.cutover.nope.v1'", e.getMessage());
    }

    @Test
    void aMissingRequiredFieldIsNamed() {
        String json = """
                {"specversion":"1.0","id":"1","source":"/x","type":"dev.cutover.preflight.run.v1","subject":"s",
                 "data":{"migrationId":"%s","targetServer":"eu-2","strategy":"live"}}""".formatted(MIGRATION);
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> Envelopes.read(json));
        assertTrue(e.getMessage().contains("missing required field 'environment'"), e.getMessage());
    }

    @Test
    void aMissingEnvelopeAttributeIsNamed() {
        String json = """
                {"specversion":"1.0","source":"/x","type":"dev.cutover.preflight.run.v1","subject":"s","data":{}}""";
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> Envelopes.decode(json));
        assertEquals("missing CloudEvent attribute 'id'", e.getMessage());
    }

    @Test
    void aNewerSchemaVersionIsRefused() {
        String json = """
                {"specversion":"1.0","id":"1","source":"/x","type":"dev.cutover.preflight.run.v1","subject":"s",
                 "schemaversion":"2","data":{}}""";
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> Envelopes.decode(json));
        assertTrue(e.getMessage().contains("unsupported schemaversion '2'"), e.getMessage());
    }

    @Test
    void aWrongValueTypeIsRefused() {
        String json = """
                {"specversion":"1.0","id":"1","source":"/x","type":"dev.cutover.preflight.run.v1","subject":"s",
                 "data":{"migrationId":"not-a-uuid","environment":"shop","targetServer":"eu-2","strategy":"live"}}""";
        assertThrows(MalformedMessageException.class, () -> Envelopes.read(json));
    }

    @Test
    void anUnknownStrategyIsRefused() {
        String json = """
                {"specversion":"1.0","id":"1","source":"/x","type":"dev.cutover.preflight.run.v1","subject":"s",
                 "data":{"migrationId":"%s","environment":"shop","targetServer":"eu-2","strategy":"teleport"}}""".formatted(MIGRATION);
        assertThrows(MalformedMessageException.class, () -> Envelopes.read(json));
    }
}
