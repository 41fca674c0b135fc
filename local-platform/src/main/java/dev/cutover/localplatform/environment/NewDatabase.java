package dev.cutover.localplatform.environment;

/** A database addon to add: {@code kind} is {@code postgresql} (plan {@code standard}) or {@code redis} (plan {@code store} or {@code cache}). */
public record NewDatabase(String name, String kind, String plan, String version) {
}
