package org.cairndb.storage.matrix;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/** Sets a test instance's instance fields of type {@link StorageKind} to the run's storage. */
final class MatrixFields {
    private MatrixFields() {}

    static void inject(Object testInstance, StorageKind kind) {
        for (Class<?> c = testInstance.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() != StorageKind.class || Modifier.isStatic(f.getModifiers())) continue;
                try {
                    f.setAccessible(true);
                    f.set(testInstance, kind);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(
                            "cannot set field " + f + " to the matrix storage " + kind + ": " + e, e);
                }
            }
        }
    }
}
