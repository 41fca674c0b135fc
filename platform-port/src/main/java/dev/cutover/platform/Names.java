package dev.cutover.platform;

/** The platform's rule for the names of environments and servers, checked wherever a name comes in. */
public final class Names {

    /** Lower-case letters, digits and dashes, starting with a letter, at most 41 characters. */
    public static final String RULE = "[a-z][a-z0-9-]{0,40}";

    private Names() {
    }

    public static boolean valid(String name) {
        return name != null && name.matches(RULE);
    }

    /** Why {@code name}, given as {@code field}, is refused; {@code null} if it is a valid name. */
    public static String refusal(String field, String name) {
        return valid(name) ? null : field + " must be lower-case letters, digits and dashes, starting with a letter (at most 41)"
                + (name == null ? ", and is missing" : ": '" + name + "' is not");
    }
}
