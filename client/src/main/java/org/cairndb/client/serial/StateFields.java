package org.cairndb.client.serial;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.cairndb.client.Persistent;

/**
 * The stored fields of a persistent class (non-static, non-transient, declared below
 * {@link Persistent}), used to clear an object's state when it turns back into a ghost so
 * the cache's memory bound frees what it promises.
 */
final class StateFields {
    private static final ConcurrentHashMap<Class<?>, Field[]> FIELDS = new ConcurrentHashMap<>();

    private StateFields() {}

    static Field[] of(Class<?> type) {
        return FIELDS.computeIfAbsent(type, StateFields::collect);
    }

    private static Field[] collect(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Persistent.class && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isStatic(m) || Modifier.isTransient(m)) continue;
                try {
                    f.setAccessible(true);
                } catch (RuntimeException notOpen) {
                    continue; // a field we cannot reach we also need not clear
                }
                fields.add(f);
            }
        }
        return fields.toArray(new Field[0]);
    }

    static void clear(Object target) {
        for (Field f : of(target.getClass())) {
            try {
                Class<?> t = f.getType();
                if (!t.isPrimitive()) f.set(target, null);
                else if (t == boolean.class) f.setBoolean(target, false);
                else if (t == long.class) f.setLong(target, 0L);
                else if (t == int.class) f.setInt(target, 0);
                else if (t == double.class) f.setDouble(target, 0d);
                else if (t == float.class) f.setFloat(target, 0f);
                else if (t == short.class) f.setShort(target, (short) 0);
                else if (t == byte.class) f.setByte(target, (byte) 0);
                else if (t == char.class) f.setChar(target, (char) 0);
            } catch (IllegalAccessException | RuntimeException e) {
                // final fields of records or the like: leaving the value is harmless (it is reloaded)
            }
        }
    }
}
