package dev.cutover.contracts;

/** Validation for record constructors: a message missing a required field is malformed, and says which field. */
public final class Required {
    private Required() {
    }

    public static <T> T present(T value, String field) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new IllegalArgumentException("missing required field '" + field + "'");
        }
        return value;
    }
}
