package dev.cutover.provisioning;

import static dev.cutover.testkit.TestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Message;
import dev.cutover.contracts.Step;
import dev.cutover.contracts.Topics;
import dev.cutover.contracts.migration.CompensationFailed;
import dev.cutover.contracts.provisioning.CompleteMigration;
import dev.cutover.contracts.provisioning.CompletionCompensated;
import dev.cutover.contracts.provisioning.PromotionFailed;
import dev.cutover.contracts.provisioning.ProvisionTarget;
import dev.cutover.contracts.provisioning.ProvisioningCompensated;
import dev.cutover.contracts.provisioning.ProvisioningFailed;
import dev.cutover.contracts.provisioning.TargetPromoted;
import dev.cutover.contracts.provisioning.TargetProvisioned;
import dev.cutover.contracts.provisioning.UndoCompleteMigration;
import dev.cutover.contracts.provisioning.UndoProvisionTarget;
import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.Environment;
import dev.cutover.platform.NewEnvironment;
import dev.cutover.platform.Platform;
import dev.cutover.platform.PlatformException;
import dev.cutover.platform.Server;
import dev.cutover.testkit.SharedTestInfrastructure;
import dev.cutover.testkit.TestSupport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What provisioning does with each of its commands, on its real Kafka topics and database, against a platform held in
 * memory (the real local platform is exercised end to end): provision, undo, complete, undo-complete, and a platform
 * error in each, answered with the command's failure event.
 */
@QuarkusTest
@QuarkusTestResource(value = SharedTestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "provisioning"))
class ProvisioningTest {

    private final PlatformInMemory platform = new PlatformInMemory();
    private UUID migration;
    private String source;
    private String target;

    @BeforeEach
    void aRunningSourceEnvironment() {
        migration = UUID.randomUUID();
        source = "shop" + Math.abs(migration.getMostSignificantBits() % 100000);
        target = source + "-eu-2";
        platform.put(new Env(source, "eu-1", "v7", true));
        QuarkusMock.installMockForType(platform, Platform.class);
    }

    @Test
    void provisionCreatesTheTargetWithTheSourcesSkeletonAndReleaseAndFreezesTheSource() {
        TargetProvisioned done = command(provision(), TargetProvisioned.class);

        assertEquals(target, done.targetEnvironment());
        Env created = platform.get(target);
        assertEquals("eu-2", created.server);
        assertEquals(source, created.skeletonOf);
        assertEquals("v7", created.release);
        assertTrue(platform.get(source).frozen, "the source takes no changes of its configuration meanwhile");
    }

    @Test
    void aPlatformErrorWhileProvisioningIsAnsweredWithTheReasonAndTheUndoRemovesWhatWasCreated() {
        platform.failing("deploy");

        ProvisioningFailed failed = command(provision(), ProvisioningFailed.class);
        assertEquals("platform refused deploy: server eu-2 is out of memory", failed.reason());
        assertTrue(platform.has(target), "created before the deploy failed");

        platform.failing(null);
        command(new UndoProvisionTarget(migration, source, target), ProvisioningCompensated.class);
        assertFalse(platform.has(target));
        assertFalse(platform.get(source).frozen);
        assertTrue(platform.get(source).running);
    }

    @Test
    void anEnvironmentThatAlreadyHasTheTargetsNameIsRefusedAndNeverDestroyedByTheUndo() {
        platform.put(new Env(target, "eu-2", "other-app", true));

        ProvisioningFailed failed = command(provision(), ProvisioningFailed.class);
        command(new UndoProvisionTarget(migration, source, target), ProvisioningCompensated.class);

        assertEquals("an environment named " + target + " already exists: choose another new name", failed.reason());
        assertEquals("other-app", platform.get(target).release, "someone else's environment is left as it was");
    }

    @Test
    void aRedeliveredCommandDoesItsWorkOnce() {
        String id = UUID.randomUUID().toString();
        send(provision(), id);
        send(provision(), id);

        eventually(() -> assertEquals(1, events(TargetProvisioned.class).size()));
        assertEquals(1, platform.calls("createEnvironment"));
    }

    @Test
    void anUndoThePlatformRefusesIsAnsweredAsAFailedCompensationOfPrepare() {
        command(provision(), TargetProvisioned.class);
        platform.failing("destroy");

        CompensationFailed failed = command(new UndoProvisionTarget(migration, source, target), CompensationFailed.class);

        assertEquals(Step.PREPARE, failed.step());
        assertEquals("undoing the target failed: platform refused destroy: server eu-2 is out of memory", failed.reason());
    }

    @Test
    void completeProtectsTheTargetAndMakesItTheDefaultOrSaysWhyNot() {
        command(provision(), TargetProvisioned.class);

        command(new CompleteMigration(migration, source, target), TargetPromoted.class);
        assertTrue(platform.get(target).isProtected);
        assertTrue(platform.get(target).isDefault);

        platform.failing("makeDefault");
        PromotionFailed failed = command(new CompleteMigration(UUID.randomUUID(), source, target), PromotionFailed.class);
        assertEquals("promoting " + target + " failed: platform refused makeDefault: server eu-2 is out of memory", failed.reason());
    }

    @Test
    void undoCompleteMakesTheSourceTheDefaultAgainAndRunningOrSaysWhyNot() {
        command(provision(), TargetProvisioned.class);
        command(new CompleteMigration(migration, source, target), TargetPromoted.class);

        command(new UndoCompleteMigration(migration, source, target), CompletionCompensated.class);
        assertFalse(platform.get(target).isProtected, "the target stays, for its owner to keep or destroy");
        assertTrue(platform.get(source).isDefault);
        assertFalse(platform.get(source).frozen);
        assertTrue(platform.get(source).running);

        platform.failing("start");
        CompensationFailed failed = command(new UndoCompleteMigration(migration, source, target), CompensationFailed.class);
        assertEquals(Step.COMPLETE, failed.step());
        assertTrue(failed.reason().startsWith("making " + source + " the default again failed: platform refused start"), failed.reason());
    }

    private ProvisionTarget provision() {
        return new ProvisionTarget(migration, source, "eu-2", target);
    }

    /** Sends the command and waits for its answer of the given type (a new one for this migration). */
    private <T extends Message> T command(Message command, Class<T> answer) {
        UUID about = ((dev.cutover.contracts.MigrationMessage) command).migrationId();
        int before = events(about, answer).size();
        send(command, UUID.randomUUID().toString());
        return eventually(() -> {
            List<T> found = events(about, answer);
            assertTrue(found.size() > before, "no " + answer.getSimpleName() + " yet; step events: " + events(about, Message.class));
            return found.get(found.size() - 1);
        });
    }

    private void send(Message command, String id) {
        UUID about = ((dev.cutover.contracts.MigrationMessage) command).migrationId();
        TestSupport.send(Topics.PROVISIONING_COMMANDS, about.toString(), Envelopes.encode(Envelopes.wrap("test", command, id, null)));
    }

    private <T extends Message> List<T> events(Class<T> type) {
        return events(migration, type);
    }

    private static <T extends Message> List<T> events(UUID about, Class<T> type) {
        return TestSupport.readAll(Topics.STEP_EVENTS, about.toString()).stream().map(ConsumerRecord::value)
                .map(Envelopes::read).filter(type::isInstance).map(type::cast).toList();
    }

    /** An environment as the platform keeps it. */
    static final class Env {
        final String name;
        final String server;
        volatile String release;
        volatile boolean running;
        volatile boolean frozen;
        volatile boolean isProtected;
        volatile boolean isDefault;
        volatile String skeletonOf;

        Env(String name, String server, String release, boolean running) {
            this.name = name;
            this.server = server;
            this.release = release;
            this.running = running;
        }

        Environment view() {
            return new Environment(name, "owner", server, "eu", new Environment.Plan("small", false, 512), release,
                    running ? "running" : "stopped", null, new Environment.Flags(false, frozen, isProtected, isDefault), null, List.of());
        }
    }

    /** The platform port over environments held in memory; one operation can be made to fail as a platform would. */
    static final class PlatformInMemory implements Platform {
        private final Map<String, Env> environments = new ConcurrentHashMap<>();
        private final List<String> calls = new CopyOnWriteArrayList<>();
        private volatile String failing;

        void put(Env e) {
            environments.put(e.name, e);
        }

        Env get(String name) {
            return Optional.ofNullable(environments.get(name)).orElseThrow(() -> new AssertionError("no environment " + name));
        }

        boolean has(String name) {
            return environments.containsKey(name);
        }

        void failing(String operation) {
            failing = operation;
        }

        long calls(String operation) {
            return calls.stream().filter(operation::equals).count();
        }

        private Env call(String operation, String environment) {
            calls.add(operation);
            if (operation.equals(failing)) {
                throw new PlatformException(503, "platform refused " + operation + ": server eu-2 is out of memory");
            }
            Env e = environments.get(environment);
            if (e == null) {
                throw new PlatformException(404, "environment " + environment + " does not exist");
            }
            return e;
        }

        @Override
        public Optional<Environment> environment(String name) {
            calls.add("environment");
            return Optional.ofNullable(environments.get(name)).map(Env::view);
        }

        @Override
        public Environment createEnvironment(NewEnvironment spec) {
            calls.add("createEnvironment");
            if ("createEnvironment".equals(failing)) {
                throw new PlatformException(503, "platform refused createEnvironment: server eu-2 is out of memory");
            }
            return environments.computeIfAbsent(spec.name(), n -> new Env(n, spec.server(), null, false)).view();
        }

        @Override
        public void copySkeleton(String from, String to) {
            call("copySkeleton", to).skeletonOf = from;
        }

        @Override
        public void deploy(String environment, String release) {
            Env e = call("deploy", environment);
            e.release = release;
            e.running = true;
        }

        @Override
        public void start(String environment) {
            call("start", environment).running = true;
        }

        @Override
        public void stop(String environment) {
            call("stop", environment).running = false;
        }

        @Override
        public void setFrozen(String environment, boolean on) {
            call("setFrozen", environment).frozen = on;
        }

        @Override
        public void setProtected(String environment, boolean on) {
            call("setProtected", environment).isProtected = on;
        }

        @Override
        public void makeDefault(String environment) {
            call("makeDefault", environment).isDefault = true;
        }

        @Override
        public void destroy(String environment) {
            call("destroy", environment);
            environments.remove(environment);
        }

        @Override
        public Optional<Server> server(String name) {
            throw new UnsupportedOperationException("provisioning does not look up servers");
        }

        @Override
        public List<Environment> environmentsOn(String server) {
            throw new UnsupportedOperationException("provisioning does not list environments");
        }

        @Override
        public void setMaintenance(String environment, boolean on) {
            throw new UnsupportedOperationException("provisioning does not set maintenance");
        }

        @Override
        public void fenceWrites(String environment, boolean fenced) {
            throw new UnsupportedOperationException("provisioning does not fence writes");
        }

        @Override
        public List<String> pendingSchemaMigrations(String environment) {
            throw new UnsupportedOperationException("provisioning does not ask for schema migrations");
        }

        @Override
        public DatabaseCredentials credentials(String environment, String database) {
            throw new UnsupportedOperationException("provisioning never asks for credentials");
        }
    }
}
