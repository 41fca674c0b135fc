package dev.cutover.platform;

/** What it takes to create an environment. */
public record NewEnvironment(String name, String owner, String server, Environment.Plan plan) {
}
