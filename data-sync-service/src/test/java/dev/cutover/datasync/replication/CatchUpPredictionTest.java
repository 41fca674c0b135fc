package dev.cutover.datasync.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The catch-up a freeze would wait for, as the downtime budget reads it: plain logic over two lag readings. */
class CatchUpPredictionTest {

    private static final long MB = 1024 * 1024;

    @Test
    void aSmallBacklogIsJudgedByItsTimeLag() {
        assertEquals(40, new ReplicationMonitor().catchUpMillis("r", new LiveReplication.Lag(64 * 1024, 40, 0, 1_000)));
    }

    @Test
    void aLargeBacklogIsJudgedByTheBytesBehindAtTheRateTheSubscriberApplies() throws InterruptedException {
        ReplicationMonitor monitor = new ReplicationMonitor();
        // Unmeasured yet: an assumed 5 MB/s, so 50 MB behind is about 10 s, whatever replay_lag says.
        long first = monitor.catchUpMillis("r", new LiveReplication.Lag(50 * MB, 0, 0, 0));
        assertTrue(first >= 9_000 && first <= 11_000, String.valueOf(first));
        Thread.sleep(200);
        // 10 MB applied in about 0.2 s: 50 MB/s, so 5 MB behind is about 0.1 s.
        long second = monitor.catchUpMillis("r", new LiveReplication.Lag(5 * MB, 0, 0, 10 * MB));
        assertTrue(second >= 50 && second <= 150, String.valueOf(second));
    }
}
