package org.cairndb.enhancer;

import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;

/**
 * Transparent persistence: rewrites class files so that every read of a stored field of a
 * persistent object loads it if it is a ghost, and every write registers it as changed, with no
 * {@code activate()}/{@code changing()} in the source.
 *
 * <h2>What is rewritten</h2>
 * Field instructions, wherever they are: each GETFIELD/PUTFIELD whose field (resolved as the
 * JVM does, through superclasses) is a stored field of a subclass of
 * {@code org.cairndb.client.Persistent} (not static, not transient, not synthetic) gets a call
 * to {@code org.cairndb.client.PersistentHooks.beforeRead/beforeWrite(receiver)} in front of it
 * ({@link FieldHooks}). The hooks are {@code activate()} and {@code changing()}: a ghost is
 * loaded before it is read or written (so the load cannot overwrite the new value), the object
 * joins the transaction before its first change, and both are idempotent, so hand-written calls
 * keep working. This covers the persistent class itself, its inner and anonymous classes and
 * lambdas (nestmates read fields directly), other classes of its package, and subclasses using
 * inherited protected fields, because the rewrite is applied to every class that contains such
 * an instruction, not only to persistent classes.
 *
 * <h2>What is skipped</h2>
 * <ul>
 * <li>A PUTFIELD in a constructor before its {@code super(...)} call (the object is not yet an
 *     object; see {@link FieldHooks}). After it, the hooks run but do nothing: a new object is
 *     transient until it is stored.</li>
 * <li>Static, transient and synthetic fields, and {@code Persistent}'s own bookkeeping (all
 *     transient, and {@code Persistent} itself is never rewritten).</li>
 * <li>Fields of a class annotated {@code @org.cairndb.client.NotEnhanced} (hand-written
 *     accessors kept on purpose: a benchmark baseline, a planted bug); the class itself is
 *     still rewritten if it touches other classes' stored fields.</li>
 * <li>What is not a field instruction: reflection ({@code Field.set}), {@code VarHandle},
 *     {@code MethodHandle} and serialization frameworks write fields without one. Cairn's own
 *     codec is one of these on purpose (loading a ghost must not mark it changed).</li>
 * <li>In-place mutation of a field's value ({@code list.add(x)}, {@code array[i] = x}): the read
 *     of the field is hooked (the ghost loads) but the change is not a field write; it still
 *     needs {@code changed()}.</li>
 * </ul>
 *
 * <h2>How an enhanced class is marked</h2>
 * With the runtime-visible annotation {@code @org.cairndb.client.Enhanced}. A class carrying it
 * is never rewritten again, so enhancing twice (build plugin, then the agent; or the plugin run
 * on its own output) is a no-op. Every enhanced persistent class carries it even when it has no
 * field instruction to rewrite, so the object layer can tell enhanced classes apart.
 *
 * <h2>Two ways in</h2>
 * {@link EnhancerPlugin} for builds (byte-buddy-maven-plugin or Byte Buddy's Gradle plugin) and
 * {@link EnhancerAgent} for run time ({@code -javaagent}). Both use this class over a
 * {@link TypePool} that reads class files, never loads classes: the agent asks about a class's
 * superclasses while that class is being defined.
 */
public final class Enhancer {
    private final StoredFields fields;

    public Enhancer(TypePool pool) {
        this.fields = new StoredFields(pool);
    }

    /** An enhancer resolving classes through {@code locator} (class files only). */
    public static Enhancer of(ClassFileLocator locator) {
        return new Enhancer(TypePool.Default.WithLazyResolution.of(locator));
    }

    /**
     * True if the class is not yet enhanced and is a persistent class or touches a stored field
     * of one.
     */
    public boolean needsEnhancement(byte[] classFile) {
        Scan scan = new Scan();
        new ClassReader(classFile).accept(scan, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return !scan.marked && (scan.persistent || scan.touchesStoredField);
    }

    /** The enhanced class file, or null if the class needs no enhancement (or already has it). */
    public byte[] enhance(byte[] classFile) {
        if (!needsEnhancement(classFile)) return null;
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(0);
        reader.accept(visitor(writer), 0);
        return writer.toByteArray();
    }

    /** The rewriting visitor in front of {@code next}, for a class {@link #needsEnhancement} chose. */
    public ClassVisitor visitor(ClassVisitor next) {
        return new FieldHooks(next, fields);
    }

    /** Reads a class once: marked already? persistent? any field instruction on a stored field? */
    private final class Scan extends ClassVisitor {
        boolean marked;
        boolean persistent;
        boolean touchesStoredField;

        Scan() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(
                int version, int access, String name, String signature, String superName, String[] interfaces) {
            persistent = (access & Opcodes.ACC_INTERFACE) == 0
                    && superName != null
                    && (superName.equals(StoredFields.PERSISTENT.replace('.', '/'))
                            || fields.isPersistentType(superName))
                    && !fields.isOptedOut(name);
        }

        @Override
        public net.bytebuddy.jar.asm.AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            if (descriptor.equals(FieldHooks.MARKER)) marked = true;
            return null;
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] exceptions) {
            if (marked || touchesStoredField) return null;
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                    if ((opcode == Opcodes.GETFIELD || opcode == Opcodes.PUTFIELD)
                            && !touchesStoredField
                            && fields.isStored(owner, field, desc)) {
                        touchesStoredField = true;
                    }
                }
            };
        }
    }
}
