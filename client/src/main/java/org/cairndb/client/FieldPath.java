package org.cairndb.client;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;

/**
 * Where one object holds a reference to another, found by reflection, for error messages
 * ("Review.book", "Library.shelves[2]", "Index.byName[dune]"): the dangling-reference error
 * names the field that holds the missing object, so the user knows what to repair.
 *
 * <h2>Design</h2>
 * Only for messages: it looks through the holder's instance fields (its class and
 * superclasses below {@link Persistent}), and into maps (by key), collections and object
 * arrays (by index) up to three levels deep; it does not enter another persistent object
 * (that is a reference of its own). A field it cannot read is skipped; when nothing is found
 * the message goes without a path.
 */
final class FieldPath {
    private static final int MAX_DEPTH = 3;

    private FieldPath() {}

    /** "Holder.field[key]..." where {@code holder} refers to {@code target}, or null when not found. */
    static String find(Persistent holder, Persistent target) {
        for (Class<?> c = holder.getClass(); c != null && c != Persistent.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) continue;
                try {
                    f.setAccessible(true);
                    String inner = pathTo(f.get(holder), target, 0);
                    if (inner != null) return holder.getClass().getSimpleName() + "." + f.getName() + inner;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // unreachable field: skip
                }
            }
        }
        return null;
    }

    private static String pathTo(Object value, Persistent target, int depth) {
        if (value == target) return "";
        if (value == null || depth > MAX_DEPTH || value instanceof Persistent) return null;
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String p = pathTo(e.getValue(), target, depth + 1);
                if (p != null) return "[" + e.getKey() + "]" + p;
            }
        } else if (value instanceof Collection<?> col) {
            int i = 0;
            for (Object o : col) {
                String p = pathTo(o, target, depth + 1);
                if (p != null) return "[" + i + "]" + p;
                i++;
            }
        } else if (value.getClass().isArray()
                && !value.getClass().getComponentType().isPrimitive()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                String p = pathTo(Array.get(value, i), target, depth + 1);
                if (p != null) return "[" + i + "]" + p;
            }
        }
        return null;
    }
}
