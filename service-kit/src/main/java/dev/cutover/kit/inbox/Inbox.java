package dev.cutover.kit.inbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** The processed-message log that makes a consumer idempotent. */
@ApplicationScoped
public class Inbox {

    @Inject
    EntityManager em;

    /**
     * Records that {@code consumer} handles {@code messageId}, in the handler's transaction. False means it was handled
     * before (a redelivery): the handler must then do nothing. A concurrent duplicate waits on the row lock and gets false.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, String messageId) {
        return em.createNativeQuery(
                "insert into processed_message (consumer, message_id) values (?1, ?2) on conflict do nothing")
                .setParameter(1, consumer).setParameter(2, messageId).executeUpdate() == 1;
    }
}
