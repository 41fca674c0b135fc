package dev.cutover.kit.inbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which failures of a delivery's transaction are run again: the database's conflicts and absences, not the message's faults. */
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

    @Test
    void aDatabaseThatIsNotThereIsWaitedForAndAFaultIsNot() {
        assertTrue(Deliveries.unavailable(new RuntimeException(new SQLException("Connection to 127.0.0.1:5432 refused", "08001"))));
        assertTrue(Deliveries.unavailable(new IllegalStateException(new SQLException("terminating connection due to administrator command", "57P01"))));
        assertTrue(Deliveries.unavailable(new SQLException("the database system is starting up", "57P03")));
        assertFalse(Deliveries.unavailable(new RuntimeException(new SQLException("duplicate key", "23505"))));
        assertFalse(Deliveries.unavailable(new IllegalStateException("no on method")));
    }
}
