package dev.cutover.platform;

/** How to log in to a database. {@link #toString()} leaves the password out, so a log line can't leak it. */
public record DatabaseCredentials(String host, int port, String database, String user, String password) {

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "DatabaseCredentials[" + user + "@" + host + ":" + port + "/" + database + ", password=(secret)]";
    }
}
