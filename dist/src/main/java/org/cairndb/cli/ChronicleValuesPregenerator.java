package org.cairndb.cli;

import java.io.File;
import java.lang.reflect.Method;
import net.openhft.chronicle.hash.VanillaGlobalMutableState;
import net.openhft.chronicle.values.ValueModel;
import net.openhft.compiler.CachedCompiler;

/**
 * Build step of the distribution (dist/pom.xml runs it before the jar is made): writes the
 * class Chronicle Map would otherwise generate and compile with javac every time a process
 * opens its first map, {@code VanillaGlobalMutableState$$Native} (its global header's
 * off-heap accessor), into the given class directory.
 *
 * <p>Chronicle Values looks a {@code $$Native} class up by name before generating one, so
 * with this class in the launcher's jar, opening a {@code mem:} storage skips the in-process
 * javac run, about a second of every {@code cairn info mem:/...} (docs/benchmarks.md, "bench
 * startup"). The source is produced by Chronicle's own generator from the Chronicle version
 * this build resolves, so it is the class Chronicle would have compiled itself. Applications
 * embedding Cairn are unaffected: without the class, Chronicle compiles it as before.
 */
public final class ChronicleValuesPregenerator {

    private ChronicleValuesPregenerator() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ChronicleValuesPregenerator CLASS_DIRECTORY");
        }
        File classDir = new File(args[0]);
        Class<?> valueType = VanillaGlobalMutableState.class;
        ValueModel model = ValueModel.acquire(valueType);
        // the names and the generator as ValueModel.nativeClass() uses them (package-private;
        // Chronicle's jars are on the class path, not modules, so reflection may reach them)
        Method simpleName = ValueModel.class.getDeclaredMethod("simpleName");
        simpleName.setAccessible(true);
        String simpleClassName = simpleName.invoke(model) + ValueModel.$$NATIVE;
        String className = valueType.getPackageName() + "." + simpleClassName;
        Method generate = Class.forName("net.openhft.chronicle.values.Generators")
                .getDeclaredMethod("generateNativeClass", ValueModel.class, String.class);
        generate.setAccessible(true);
        String source = (String) generate.invoke(null, model, simpleClassName);
        try (CachedCompiler compiler = new CachedCompiler(null, classDir)) {
            compiler.loadFromJava(className, source);
        }
        File written = new File(classDir, className.replace('.', File.separatorChar) + ".class");
        if (!written.isFile()) {
            throw new IllegalStateException("Chronicle's compiler wrote no " + written);
        }
    }
}
