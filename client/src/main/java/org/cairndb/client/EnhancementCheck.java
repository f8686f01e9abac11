package org.cairndb.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns once per class, when its first object is stored, that a persistent class is neither
 * enhanced ({@link Enhanced}) nor declared hand-written ({@link NotEnhanced}): such a class
 * loses writes and reads empty ghosts unless every accessor calls activate()/changing(), which
 * nothing checks. One annotation lookup per class, cached.
 */
final class EnhancementCheck {
    private static final Logger LOG = LoggerFactory.getLogger(EnhancementCheck.class);

    private static final ClassValue<Boolean> CHECKED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            boolean known = type.isAnnotationPresent(Enhanced.class) || type.isAnnotationPresent(NotEnhanced.class);
            if (!known) {
                LOG.warn(
                        "{} is not enhanced: unless its accessors call activate() and changing(), reads of a ghost see"
                                + " empty fields and writes are lost; build it with cairn-enhancer or run with its agent (README,"
                                + " \"Transparent persistence\"), or mark it @NotEnhanced if the calls are written by hand",
                        type.getName());
            }
            return known;
        }
    };

    private EnhancementCheck() {}

    /** Called when an object of {@code type} is first stored; warns at most once per class. */
    static boolean check(Class<?> type) {
        return CHECKED.get(type);
    }
}
