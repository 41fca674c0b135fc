package dev.cutover.kit.inbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which failures of a delivery's transaction are run again: the database's conflicts, not the message's faults. */
class DeliveriesConflictTest {

    @Test
    void aDeadlockOrASerializationFailureAnywhereInTheChainIsAConflict() {
        assertTrue(Deliveries.conflict(new IllegalStateException("JDBC exception", new SQLException("deadlock detected", "40P01"))));
        assertTrue(Deliveries.conflict(new RuntimeException(new RuntimeException(new SQLException("could not serialize", "40001")))));
    }

    @Test
    void anyOtherFailureIsNot() {
        assertFalse(Deliveries.conflict(new IllegalStateException("no on method")));
        assertFalse(Deliveries.conflict(new RuntimeException(new SQLException("duplicate key", "23505"))));
    }
}
