package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;

/** Data-sync's answer to a pause or a resume: {@code done} for every database, or {@code detail} says which not, and why. */
public interface ReplicationToggled extends MigrationMessage {
    boolean done();

    String detail();
}
