package dev.cutover.cli;

/** Quotes a value for the next-command hints, so the printed line can be pasted into a POSIX shell as is. */
final class Shell {
    private Shell() {
    }

    static String quote(String value) {
        if (value == null || value.isEmpty()) {
            return "''";
        }
        if (value.matches("[A-Za-z0-9_./:@%+=,-]+")) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
