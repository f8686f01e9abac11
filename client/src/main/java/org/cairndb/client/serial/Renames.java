package org.cairndb.client.serial;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cairndb.client.FormerName;

/**
 * Old names of renamed or moved classes and of renamed fields, so records stored under the
 * old names are read into the new shapes: from a database's registry
 * ({@code Database.builder().renamedClass(...)}, {@code renamedField(...)}) and from
 * {@link FormerName} annotations of the classes it learns of (named to the builder, or met
 * while serializing or loading).
 *
 * <h2>Concurrency</h2>
 * Thread-safe: one instance serves every connection (and codec) of a database.
 */
public final class Renames {
    /** No renames except those the annotations of learned classes give. */
    public static Renames none() {
        return new Renames(Map.of(), Map.of());
    }

    /** Old binary class name → class. */
    private final ConcurrentHashMap<String, Class<?>> classes = new ConcurrentHashMap<>();
    /** Registered field renames: declaring class → (old field name → new field name). */
    private final Map<Class<?>, Map<String, String>> registeredFields;
    /** Per class, every old field name of it and its superclasses → the field's name now. */
    private final ConcurrentHashMap<Class<?>, Map<String, String>> fields = new ConcurrentHashMap<>();

    private final Map<Class<?>, Boolean> learned = new ConcurrentHashMap<>();

    /**
     * @param classes old binary class name → the class now
     * @param fields  class → (old field name → the field's name now)
     */
    public Renames(Map<String, Class<?>> classes, Map<Class<?>, Map<String, String>> fields) {
        this.classes.putAll(classes);
        Map<Class<?>, Map<String, String>> copy = new HashMap<>();
        fields.forEach((c, m) -> copy.put(c, Map.copyOf(m)));
        this.registeredFields = Map.copyOf(copy);
    }

    /** Reads the {@link FormerName}s of {@code type}'s class (once per class). */
    public void learn(Class<?> type) {
        if (learned.putIfAbsent(type, Boolean.TRUE) != null) return;
        for (FormerName n : type.getAnnotationsByType(FormerName.class)) {
            Class<?> before = classes.putIfAbsent(n.value(), type);
            if (before != null && before != type) {
                throw new IllegalArgumentException("@FormerName(\"" + n.value() + "\") is claimed by both "
                        + before.getName() + " and " + type.getName() + "; keep it on one class");
            }
        }
    }

    /** The class now stored under {@code storedName} before a rename, or null when it was not renamed (as far as known). */
    public Class<?> classFor(String storedName) {
        return classes.get(storedName);
    }

    /** The name now of the field of {@code type} stored as {@code storedName}, or null when no field was renamed from it. */
    String fieldFor(Class<?> type, String storedName) {
        return fields.computeIfAbsent(type, this::collectFields).get(storedName);
    }

    private Map<String, String> collectFields(Class<?> type) {
        Map<String, String> out = new HashMap<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Map<String, String> registered = registeredFields.get(c);
            if (registered != null) registered.forEach(out::putIfAbsent);
            for (Field f : c.getDeclaredFields()) {
                for (FormerName n : f.getAnnotationsByType(FormerName.class)) out.putIfAbsent(n.value(), f.getName());
            }
        }
        return Map.copyOf(out);
    }
}
