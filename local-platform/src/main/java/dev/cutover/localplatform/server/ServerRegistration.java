package dev.cutover.localplatform.server;

import dev.cutover.platform.Server;

/** What an operator says about a server: where its PostgreSQL listens, its region, whether it is online, its capacity. */
public record ServerRegistration(String region, Boolean online, String postgresHost, Integer postgresPort, Server.Capacity capacity) {
}
