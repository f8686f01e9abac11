package org.cairndb.enhancer;

import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The rewrite itself, one class at a time: before each GETFIELD of a stored field a call to
 * {@code PersistentHooks.beforeRead(receiver)}, before each PUTFIELD a call to
 * {@code PersistentHooks.beforeWrite(receiver)}; then the class is marked
 * {@code @org.cairndb.client.Enhanced}. Only instructions are added, no branches, so the stack
 * map frames stay valid; the receiver is duplicated from the operand stack (for PUTFIELD from
 * under the value, one or two slots), which needs at most two more stack slots.
 *
 * <p>In a constructor a PUTFIELD before the {@code super(...)}/{@code this(...)} call is left
 * alone: its receiver may be the uninitialized {@code this}, which the verifier forbids passing
 * to a method (javac writes only synthetic fields there; JDK 22+ flexible constructors may
 * write others, which belong to an object nobody else can see yet). A GETFIELD is always
 * hooked: its receiver is always initialized.
 */
final class FieldHooks extends ClassVisitor {
    static final String MARKER = "Lorg/cairndb/client/Enhanced;";
    static final String HOOKS = "org/cairndb/client/PersistentHooks";
    static final String HOOK_DESCRIPTOR = "(Lorg/cairndb/client/Persistent;)V";

    private final StoredFields fields;
    private boolean marked;

    FieldHooks(ClassVisitor next, StoredFields fields) {
        super(Opcodes.ASM9, next);
        this.fields = fields;
    }

    /** Adds the marker once, after the class's own annotations and before its members (ASM's visit order). */
    private void mark() {
        if (marked) return;
        marked = true;
        var av = super.visitAnnotation(MARKER, true);
        if (av != null) av.visitEnd();
    }

    @Override
    public void visitNestMember(String nestMember) {
        mark();
        super.visitNestMember(nestMember);
    }

    @Override
    public void visitPermittedSubclass(String permittedSubclass) {
        mark();
        super.visitPermittedSubclass(permittedSubclass);
    }

    @Override
    public void visitInnerClass(String name, String outerName, String innerName, int access) {
        mark();
        super.visitInnerClass(name, outerName, innerName, access);
    }

    @Override
    public net.bytebuddy.jar.asm.RecordComponentVisitor visitRecordComponent(
            String name, String descriptor, String signature) {
        mark();
        return super.visitRecordComponent(name, descriptor, signature);
    }

    @Override
    public net.bytebuddy.jar.asm.FieldVisitor visitField(
            int access, String name, String descriptor, String signature, Object value) {
        mark();
        return super.visitField(access, name, descriptor, signature, value);
    }

    @Override
    public MethodVisitor visitMethod(
            int access, String name, String descriptor, String signature, String[] exceptions) {
        mark();
        MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
        return mv == null ? null : new Hooking(mv, name.equals("<init>"));
    }

    @Override
    public void visitEnd() {
        mark();
        super.visitEnd();
    }

    private final class Hooking extends MethodVisitor {
        /** In a constructor: false until the super/this constructor call, while {@code this} is uninitialized. */
        private boolean initialized;
        /** NEW instructions before that call whose own constructor call is still to come. */
        private int pendingNews;

        Hooking(MethodVisitor next, boolean constructor) {
            super(Opcodes.ASM9, next);
            this.initialized = !constructor;
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (opcode == Opcodes.NEW && !initialized) pendingNews++;
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            if (!initialized && opcode == Opcodes.INVOKESPECIAL && name.equals("<init>")) {
                if (pendingNews > 0) pendingNews--;
                else initialized = true;
            }
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            if (opcode == Opcodes.GETFIELD && fields.isStored(owner, name, descriptor)) {
                super.visitInsn(Opcodes.DUP);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "beforeRead", HOOK_DESCRIPTOR, false);
            } else if (opcode == Opcodes.PUTFIELD && initialized && fields.isStored(owner, name, descriptor)) {
                if (descriptor.equals("J") || descriptor.equals("D")) {
                    super.visitInsn(Opcodes.DUP2_X1); // obj v -> v obj v (v: two slots)
                    super.visitInsn(Opcodes.POP2); // v obj
                    super.visitInsn(Opcodes.DUP_X2); // obj v obj
                } else {
                    super.visitInsn(Opcodes.SWAP); // v obj
                    super.visitInsn(Opcodes.DUP_X1); // obj v obj
                }
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "beforeWrite", HOOK_DESCRIPTOR, false);
            }
            super.visitFieldInsn(opcode, owner, name, descriptor);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(maxStack + 2, maxLocals);
        }
    }
}
