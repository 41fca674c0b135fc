package dev.cutover.localplatform.environment;

/** A database addon to add: {@code kind} is {@code postgresql} (Redis is not supported yet). */
public record NewDatabase(String name, String kind, String plan, String version) {
}
