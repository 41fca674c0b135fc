package dev.cutover.kit.tx;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** Work that must wait for the current transaction's outcome: what it did is visible to others only once committed. */
public final class AfterCompletion {

    private AfterCompletion() {
    }

    /** Runs {@code committed} once the current transaction has committed, {@code otherwise} if it did not. */
    public static void register(TransactionSynchronizationRegistry transactions, Runnable committed, Runnable otherwise) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                (status == Status.STATUS_COMMITTED ? committed : otherwise).run();
            }
        });
    }
}
