package org.cairndb.client;

import java.util.Locale;

/**
 * What a commit does about loaded objects whose state changed without being registered
 * (a field changed in place, such as an element added to a list field, with no
 * {@link Persistent#changed()}): the debug mode of {@link Database.Builder#reportUnregisteredChanges}.
 * Each such object is named with its class, oid and the fields that differ.
 */
public enum UnregisteredChanges {
    /** Not looked for (the default in production: no cost). */
    OFF,
    /** Each one is logged as a warning; the commit goes on (the change is lost unless the dirty check is on). */
    LOG,
    /** Each one is logged and the commit fails with {@link UnregisteredChangeException} (for tests), unless the dirty check stores them. */
    FAIL;

    /** The system property that sets the default: {@code off}, {@code log}, or {@code fail} (also {@code true}). */
    public static final String PROPERTY = "cairn.debugChanges";

    /** The mode the system property {@value #PROPERTY} asks for; {@link #OFF} when it is not set. */
    public static UnregisteredChanges fromSystemProperty() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) return OFF;
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "off":
            case "false":
                return OFF;
            case "log":
                return LOG;
            case "fail":
            case "true":
                return FAIL;
            default:
                throw new IllegalArgumentException("system property " + PROPERTY + "=" + v
                        + " is not understood; use off, log or fail (true means fail)");
        }
    }
}
