package dev.cutover.platform.router;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** A router adapter's durations, read as Quarkus reads them: "10s", "500ms", "2m" (and ISO-8601 "PT10S"). */
final class Durations {

    private Durations() {
    }

    static Duration parse(Map<String, String> settings, String key, String fallback) {
        String value = settings.getOrDefault(key, fallback).strip();
        try {
            if (value.matches("\\d+ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.matches("\\d+[smhd]")) {
                return Duration.parse((value.endsWith("d") ? "P" : "PT") + value.toUpperCase());
            }
            return Duration.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("cutover.router." + key + " is not a duration (like 10s or 500ms): " + value);
        }
    }
}
