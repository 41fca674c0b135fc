package dev.cutover.localplatform.server;

import dev.cutover.platform.Server;

/**
 * What an operator says about a server: where its PostgreSQL listens, its region, whether it is online, its capacity,
 * and optionally the PostgreSQL version to report instead of asking the server (a stand-in for an older server).
 */
public record ServerRegistration(String region, Boolean online, String postgresHost, Integer postgresPort, Server.Capacity capacity,
                                 String declaredPostgresVersion) {
}
