package dev.cutover.preflight.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.preflight.CheckResult;
import dev.cutover.platform.Environment;
import dev.cutover.platform.Server;
import dev.cutover.platform.Skeleton;
import dev.cutover.stack.DemoEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The checks as plain logic: given what the platform and the databases said, expect these results. */
class PreflightChecksTest {

    private static final Facts.Settings SETTINGS = new Facts.Settings(Duration.ofDays(7), 50);
    private static String validCertificate;
    private static String expiredCertificate;
    private static String expiringCertificate;

    @BeforeAll
    static void certificates() throws Exception {
        Path dir = Files.createTempDirectory("certs");
        validCertificate = DemoEnvironment.selfSigned(dir, "shop.example.com", "-1d", 90)[0];
        expiredCertificate = DemoEnvironment.selfSigned(dir, "shop.example.com", "-30d", 20)[0];
        expiringCertificate = DemoEnvironment.selfSigned(dir, "shop.example.com", "-10d", 13)[0];
    }

    @Test
    void aHealthyMoveHasNoBlockerAndEstimatesTheCopy() {
        List<CheckResult> results = PreflightChecks.run(facts(source(validCertificate, "17"), target(true, 10, "17.11"), Strategy.LIVE,
                false, List.of(), List.of()), SETTINGS);
        assertFalse(results.stream().anyMatch(CheckResult::blocks), results.toString());
        assertTrue(reason(results, "estimate").contains("MB to copy"), results.toString());
        assertEquals(CheckResult.Outcome.WARNING, result(results, "certificate:shop.example.com:trust").outcome(), "self-signed warns");
    }

    @Test
    void everyBlockerSaysWhatToDo() {
        assertTrue(blocker(facts(source(validCertificate, "17"), target(false, 10, "17.11"), Strategy.SNAPSHOT, false, List.of(), List.of()),
                "target-online").contains("server eu-2 is offline"));
        assertTrue(blocker(facts(source(validCertificate, "17"), target(true, 0, "17.11"), Strategy.SNAPSHOT, false, List.of(), List.of()),
                "target-has-room").contains("no environment slot left"));
        assertTrue(blocker(facts(source(validCertificate, "17"), target(true, 10, "16.4"), Strategy.SNAPSHOT, false, List.of(), List.of()),
                "target-postgres-version").contains("database main is PostgreSQL 17 but server eu-2 runs PostgreSQL 16.4"));
        assertTrue(blocker(facts(source(validCertificate, "17"), target(true, 10, "17.11"), Strategy.SNAPSHOT, false,
                List.of("2 index orders by customer"), List.of()), "no-pending-schema-migrations")
                .contains("1 pending schema migration (2 index orders by customer)"));
        assertTrue(blocker(facts(source(validCertificate, "17"), target(true, 10, "17.11"), Strategy.LIVE, false, List.of(),
                List.of("public.audit_log")), "tables-replicable").contains("main.public.audit_log"));
    }

    @Test
    void anExpiredOrSoonExpiringCertificateBlocksWithItsDate() {
        assertTrue(blocker(facts(source(expiredCertificate, "17"), target(true, 10, "17.11"), Strategy.SNAPSHOT, false, List.of(), List.of()),
                "certificate:shop.example.com").contains("certificate for shop.example.com expired on"));
        assertTrue(blocker(facts(source(expiringCertificate, "17"), target(true, 10, "17.11"), Strategy.SNAPSHOT, false, List.of(), List.of()),
                "certificate:shop.example.com").contains("within the migration window of 7 days"));
    }

    @Test
    void aCertificateForAnotherHostnameOrNotACertificateBlocks() {
        Environment source = source(validCertificate, "17");
        Environment otherHost = withDomain(source, new Skeleton.Domain("www.shop.test", validCertificate));
        assertTrue(blocker(facts(otherHost, target(true, 10, "17.11"), Strategy.SNAPSHOT, false, List.of(), List.of()),
                "certificate:www.shop.test").contains("does not name it (it is for shop.example.com)"));
        Environment garbage = withDomain(source, new Skeleton.Domain("shop.example.com", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"));
        assertTrue(blocker(facts(garbage, target(true, 10, "17.11"), Strategy.SNAPSHOT, false, List.of(), List.of()),
                "certificate:shop.example.com").contains("can't be read"));
    }

    @Test
    void theRecheckSkipsWhatTheTargetNowUsesItself() {
        List<CheckResult> results = PreflightChecks.run(facts(source(validCertificate, "17"), target(true, 0, "17.11"), Strategy.LIVE,
                true, List.of(), List.of()), SETTINGS);
        assertFalse(results.stream().anyMatch(CheckResult::blocks), "the target's own slot is not a lack of room: " + results);
        assertTrue(results.stream().noneMatch(r -> r.id().equals("target-has-room") || r.id().equals("estimate")));
    }

    @Test
    void theWayBackMustBeReadyBeforeTheFreezeUnlessTheMoveIsOneWay() {
        assertEquals(CheckResult.Outcome.PASS, result(PreflightChecks.run(wayBack(
                new Facts.DatabaseFacts("logical", 1, true, true, 4, List.of(), List.of()), true, false), SETTINGS), "way-back").outcome());
        assertTrue(blocker(wayBack(new Facts.DatabaseFacts("logical", 0, true, true, 4, List.of(), List.of()), true, false), "way-back")
                .contains("target database main's server has 0 free replication slots, 1 needed"));
        assertTrue(blocker(wayBack(new Facts.DatabaseFacts("replica", 3, false, true, 4, List.of(), List.of()), true, false), "way-back")
                .contains("wal_level=replica (logical is needed); target database main's login may not replicate"));
        assertTrue(blocker(wayBack(new Facts.DatabaseFacts("logical", 3, true, true, 4, List.of(), List.of()), false, false), "way-back")
                .contains("database main's login may not create a subscription"));
        assertTrue(blocker(wayBack(new Facts.DatabaseFacts("logical", 3, true, true, 4, List.of(), List.of()), false, false), "way-back")
                .contains("database main's server has 0 free logical replication workers, 1 needed"));
        CheckResult oneWay = result(PreflightChecks.run(wayBack(new Facts.DatabaseFacts("logical", 0, true, true, 4, List.of(), List.of()), true, true),
                SETTINGS), "way-back");
        assertEquals(CheckResult.Outcome.WARNING, oneWay.outcome(), "a one-way move is told, not refused");
        assertTrue(oneWay.reason().contains("the move is one way"), oneWay.reason());
    }

    @Test
    void tablesAndSequencesTheLoginDoesNotOwnAreNamedWithWhatTheStrategyNeedsOfThem() {
        List<Facts.Unowned> unowned = List.of(new Facts.Unowned("table", "public.ledger", "bob", true, true),
                new Facts.Unowned("table", "public.secrets", "bob", false, false),
                new Facts.Unowned("sequence", "public.ledger_id_seq", "bob", true, false));
        String live = blocker(privileges(Strategy.LIVE, false, unowned), "privileges");
        assertTrue(live.contains("main: table public.ledger (owned by bob) can't be published"), live);
        assertTrue(live.contains("main: table public.secrets (owned by bob) may not be read"), live);
        assertTrue(live.contains("public.ledger_id_seq (owned by bob) may not be set"), live);
        String oneWaySnapshot = blocker(privileges(Strategy.SNAPSHOT, true, unowned), "privileges");
        assertTrue(oneWaySnapshot.contains("public.secrets") && !oneWaySnapshot.contains("public.ledger "), oneWaySnapshot);
        List<Facts.Unowned> readable = List.of(new Facts.Unowned("table", "public.ledger", "bob", true, true));
        assertEquals(CheckResult.Outcome.PASS, result(PreflightChecks.run(privileges(Strategy.SNAPSHOT, true, readable), SETTINGS),
                "privileges").outcome(), "a one-way snapshot only reads");
    }

    @Test
    void redisDatabasesMoveToAServerWithRedisNotOlderOfTheirPlanAndWithRoomCachesAreNamedAsNotCopied() {
        Environment withRedis = withDatabases(source(validCertificate, "17"),
                new Environment.Database("activity", "redis", "store", "6.2", "eu-1", 10 * 1024 * 1024),
                new Environment.Database("cache", "redis", "cache", "6.2", "eu-1", 1024));
        CheckResult fits = result(PreflightChecks.run(facts(withRedis, target(true, 10, "17.11"), Strategy.LIVE, false, List.of(), List.of()),
                SETTINGS), "addons-available");
        assertEquals(CheckResult.Outcome.PASS, fits.outcome(), fits.reason());
        assertTrue(fits.reason().contains("activity: redis store") && fits.reason().contains("Redis cache cache is not copied"), fits.reason());

        Server noRedis = new Server("eu-2", "eu", true, new Server.Capacity(4096, 20480, 20), new Server.Capacity(4096, 20000, 10), "17.11",
                null, Map.of());
        assertTrue(blocker(facts(withRedis, noRedis, Strategy.LIVE, false, List.of(), List.of()), "addons-available")
                .contains("Redis database activity: server eu-2 runs no Redis"));
        Environment newer = withDatabases(source(validCertificate, "17"), new Environment.Database("activity", "redis", "store", "7.2", "eu-1", 1));
        assertTrue(blocker(facts(newer, target(true, 10, "17.11"), Strategy.LIVE, false, List.of(), List.of()), "addons-available")
                .contains("Redis database activity is Redis 7.2 but server eu-2 runs Redis 6.2.11"));
        Environment big = withDatabases(source(validCertificate, "17"),
                new Environment.Database("activity", "redis", "store", "6.2", "eu-1", 300L * 1024 * 1024));
        assertTrue(blocker(facts(big, target(true, 10, "17.11"), Strategy.LIVE, false, List.of(), List.of()), "addons-available")
                .contains("Redis store activity holds 300 MB, more than plan store's 256 MB on eu-2"));
        Environment unknownPlan = withDatabases(source(validCertificate, "17"),
                new Environment.Database("activity", "redis", "huge", "6.2", "eu-1", 1));
        assertTrue(blocker(facts(unknownPlan, target(true, 10, "17.11"), Strategy.LIVE, false, List.of(), List.of()), "addons-available")
                .contains("has plan huge, which server eu-2 does not offer (it offers cache, store)"));
    }

    private static Environment withDatabases(Environment e, Environment.Database... redis) {
        List<Environment.Database> all = new java.util.ArrayList<>(e.databases());
        all.addAll(List.of(redis));
        return new Environment(e.name(), e.owner(), e.server(), e.region(), e.plan(), e.release(), e.status(), e.backendUrl(), e.flags(),
                e.skeleton(), all);
    }

    private static Facts privileges(Strategy strategy, boolean oneWay, List<Facts.Unowned> unowned) {
        return new Facts("shop", Optional.of(source(validCertificate, "17")), "eu-2", Optional.of(target(true, 10, "17.11")),
                strategy, false, oneWay, Facts.Probe.of(List.of()),
                Map.of("main", Facts.Probe.of(new Facts.DatabaseFacts("logical", 5, true, true, 4, List.of(), unowned))), Map.of(),
                Instant.now());
    }

    @Test
    void aMissingEnvironmentOrServerStopsAtThatCheck() {
        List<CheckResult> results = PreflightChecks.run(new Facts("ghost", Optional.empty(), "eu-9", Optional.empty(), Strategy.LIVE,
                false, false, Facts.Probe.failed("no such environment"), Map.of(), Map.of(), Instant.now()), SETTINGS);
        assertEquals(List.of("environment-exists", "target-exists"), results.stream().map(CheckResult::id).toList());
        assertEquals("environment ghost does not exist; server eu-9 does not exist", PreflightChecks.refusal(results));
    }

    private static String blocker(Facts facts, String id) {
        List<CheckResult> results = PreflightChecks.run(facts, SETTINGS);
        CheckResult r = result(results, id);
        assertTrue(r.blocks(), id + " should block: " + results);
        return r.reason();
    }

    private static CheckResult result(List<CheckResult> results, String id) {
        return results.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no " + id + " in " + results));
    }

    private static String reason(List<CheckResult> results, String id) {
        return result(results, id).reason();
    }

    private static Facts facts(Environment source, Server target, Strategy strategy, boolean recheck, List<String> pending,
                               List<String> tablesWithoutIdentity) {
        return new Facts("shop", Optional.of(source), "eu-2", Optional.of(target), strategy, recheck, false, Facts.Probe.of(pending),
                Map.of("main", Facts.Probe.of(new Facts.DatabaseFacts("logical", 5, true, true, 4, tablesWithoutIdentity, List.of()))),
                recheck ? Map.of("main", Facts.Probe.of(new Facts.DatabaseFacts("logical", 5, true, true, 4, List.of(), List.of()))) : Map.of(),
                Instant.now());
    }

    /** A recheck whose target database says {@code targetSide}, and whose source login may subscribe or not. */
    private static Facts wayBack(Facts.DatabaseFacts targetSide, boolean sourceMaySubscribe, boolean oneWay) {
        return new Facts("shop", Optional.of(source(validCertificate, "17")), "eu-2", Optional.of(target(true, 10, "17.11")),
                Strategy.SNAPSHOT, true, oneWay, Facts.Probe.of(List.of()),
                Map.of("main", Facts.Probe.of(new Facts.DatabaseFacts("logical", 5, true, sourceMaySubscribe, sourceMaySubscribe ? 4 : 0, List.of(), List.of()))),
                Map.of("main", Facts.Probe.of(targetSide)), Instant.now());
    }

    private static Environment source(String certificate, String databaseVersion) {
        return new Environment("shop", "acme", "eu-1", "eu", new Environment.Plan("S", false, 256), "sample-app-1.0", "running",
                "http://127.0.0.1:1", new Environment.Flags(false, false, false, false),
                new Skeleton(List.of("SECRET"), Map.of("web", 1), Map.of(), List.of(new Skeleton.Domain("shop.example.com", certificate)),
                        List.of(), List.of(), List.of(), List.of()),
                List.of(new Environment.Database("main", "postgresql", "standard", databaseVersion, "eu-1", 8 * 1024 * 1024)));
    }

    private static Environment withDomain(Environment e, Skeleton.Domain domain) {
        Skeleton s = e.skeleton();
        return new Environment(e.name(), e.owner(), e.server(), e.region(), e.plan(), e.release(), e.status(), e.backendUrl(), e.flags(),
                new Skeleton(s.envVarNames(), s.formation(), s.settings(), List.of(domain), s.notifiers(), s.logDrains(), s.autoscalers(),
                        s.collaborators()), e.databases());
    }

    private static Server target(boolean online, int freeSlots, String version) {
        return new Server("eu-2", "eu", online, new Server.Capacity(4096, 20480, 20), new Server.Capacity(4096, 20000, freeSlots), version, "6.2.11", Map.of("store", 256L, "cache", 64L));
    }
}
