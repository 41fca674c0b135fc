package dev.cutover.kit.outbox;

import dev.cutover.contracts.CloudEvent;
import dev.cutover.contracts.Envelopes;
import dev.cutover.contracts.Message;
import dev.cutover.contracts.MessageCatalog;
import dev.cutover.kit.trace.TraceContext;
import dev.cutover.kit.tx.AfterCompletion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends messages the only safe way: as rows written in the caller's transaction, so the state change and the messages
 * it causes commit together or not at all. The {@link OutboxRelay} publishes them once the transaction has committed.
 */
@ApplicationScoped
public class Outbox {

    private static final String WAKE_REGISTERED = Outbox.class.getName() + ".wake";

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    OutboxRelay relay;

    @ConfigProperty(name = "quarkus.application.name")
    String application;

    /** Queues a message for its catalogue topic, keyed by its subject. Must run inside the state change's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public CloudEvent send(Message message) {
        CloudEvent event = Envelopes.wrap("/cutover/" + application, message, UUID.randomUUID().toString(), TraceContext.next());
        OutboxMessage row = new OutboxMessage();
        row.id = UUID.fromString(event.id());
        row.traceparent = event.traceparent();
        row.topic = MessageCatalog.of(message.getClass()).topic();
        row.key = event.subject();
        row.payload = Envelopes.encode(event);
        row.persist();
        wakeRelayAfterCommit();
        return event;
    }

    private void wakeRelayAfterCommit() {
        if (transactions.getResource(WAKE_REGISTERED) != null) {
            return;
        }
        transactions.putResource(WAKE_REGISTERED, Boolean.TRUE);
        AfterCompletion.register(transactions, relay::wake, () -> { });
    }
}
