package dev.cutover.contracts;

/** A step's answer that it could not be done, with the reason in words a person can act on. */
public interface Failure extends MigrationMessage {
    String reason();
}
