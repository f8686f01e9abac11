package org.cairndb.enhancer;

import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

/**
 * Answers "is this a stored field of a persistent class?" for a field instruction, from class
 * files only (a {@link TypePool}): nothing is loaded, so the agent can ask while a class is
 * being defined. A field is stored when it is declared in a subclass of
 * {@code org.cairndb.client.Persistent} and is neither static, transient nor synthetic (the
 * codec's rule, plus synthetic: {@code this$0} of an inner class is written before
 * {@code super()} and is not the user's state). Field resolution follows the JVM's: the
 * instruction's owner, then its superclasses, so a subclass reading an inherited protected
 * field is seen. Answers are cached; a class the pool cannot find is taken as not persistent
 * (its fields are left alone, as before enhancement).
 */
final class StoredFields {
    static final String PERSISTENT = "org.cairndb.client.Persistent";
    static final String NOT_ENHANCED = "org.cairndb.client.NotEnhanced";

    private final TypePool pool;
    private final ConcurrentHashMap<String, Boolean> persistentTypes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Boolean> storedFields = new ConcurrentHashMap<>();

    StoredFields(TypePool pool) {
        this.pool = pool;
    }

    /** True for a proper subclass of Persistent; {@code internalName} uses slashes. */
    boolean isPersistentType(String internalName) {
        if (internalName == null || platform(internalName)) return false;
        return persistentTypes.computeIfAbsent(internalName, n -> {
            TypeDescription type = describe(n);
            return type != null && !type.getName().equals(PERSISTENT) && extendsPersistent(type);
        });
    }

    /** True if the class says {@code @NotEnhanced}: its own fields are left to its hand-written calls. */
    boolean isOptedOut(String internalName) {
        TypeDescription type = describe(internalName);
        return type != null && optedOut(type);
    }

    private static boolean optedOut(TypeDescription type) {
        return type.getDeclaredAnnotations().stream()
                .anyMatch(a -> a.getAnnotationType().getName().equals(NOT_ENHANCED));
    }

    /** True if a GETFIELD/PUTFIELD of {@code owner.name:descriptor} reads or writes stored state. */
    boolean isStored(String owner, String name, String descriptor) {
        if (platform(owner)) return false;
        return storedFields.computeIfAbsent(
                owner + '.' + name + ':' + descriptor, k -> resolve(owner, name, descriptor));
    }

    private boolean resolve(String owner, String name, String descriptor) {
        TypeDescription start = describe(owner);
        for (TypeDefinition t = start; t != null; t = t.getSuperClass()) {
            FieldList<FieldDescription.InDefinedShape> declared = t.asErasure().getDeclaredFields();
            for (FieldDescription.InDefinedShape f : declared) {
                if (!f.getName().equals(name) || !f.getDescriptor().equals(descriptor)) continue;
                if (f.isStatic() || f.isTransient() || f.isSynthetic()) return false;
                TypeDescription declaring = f.getDeclaringType().asErasure();
                return !declaring.getName().equals(PERSISTENT) && !optedOut(declaring) && extendsPersistent(declaring);
            }
        }
        return false;
    }

    private boolean extendsPersistent(TypeDescription type) {
        for (TypeDefinition t = type; t != null; t = t.getSuperClass()) {
            String n = t.asErasure().getName();
            if (n.equals(PERSISTENT)) return true;
            if (n.startsWith("java.")) return false;
        }
        return false;
    }

    private TypeDescription describe(String internalName) {
        TypePool.Resolution r = pool.describe(internalName.replace('/', '.'));
        return r.isResolved() ? r.resolve() : null;
    }

    /** Classes of the JDK never extend Persistent: skip them without a lookup. */
    private static boolean platform(String internalName) {
        return internalName.startsWith("java/")
                || internalName.startsWith("javax/")
                || internalName.startsWith("jdk/")
                || internalName.startsWith("sun/")
                || internalName.startsWith("com/sun/")
                || internalName.startsWith("[");
    }
}
