package org.cairndb.enhancer;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.dynamic.ClassFileLocator;

/**
 * The run-time way in, for IDEs and tests: {@code java -javaagent:cairn-enhancer-VERSION-agent.jar}.
 * Every class a class loader defines from then on goes through {@link Enhancer}; classes
 * already enhanced at build time carry the marker and pass untouched. Classes of the JDK and
 * of the bootstrap loader are skipped, as are classes loaded before the agent (attached late,
 * through {@code agentmain}, it enhances only classes loaded afterwards). One enhancer, with
 * its answers cached, is kept per class loader, resolving superclasses through that loader's
 * class files. A class that cannot be enhanced is loaded as it is and reported once on
 * standard error: an agent must not stop a class from loading.
 */
public final class EnhancerAgent {
    private EnhancerAgent() {}

    public static void premain(String args, Instrumentation instrumentation) {
        instrumentation.addTransformer(new Transformer(), false);
    }

    public static void agentmain(String args, Instrumentation instrumentation) {
        premain(args, instrumentation);
    }

    static final class Transformer implements ClassFileTransformer {
        private final Map<ClassLoader, Enhancer> enhancers = new WeakHashMap<>();
        private final Set<String> reported = ConcurrentHashMap.newKeySet();

        @Override
        public byte[] transform(
                ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] classFile) {
            if (loader == null || className == null || redefined != null || skipped(className)) return null;
            try {
                return enhancerFor(loader).enhance(classFile);
            } catch (RuntimeException | LinkageError e) {
                if (reported.add(className)) {
                    System.err.println("cairn enhancer: " + className.replace('/', '.') + " left unenhanced (" + e
                            + "); its field reads and writes need activate()/changing() by hand");
                }
                return null;
            }
        }

        private Enhancer enhancerFor(ClassLoader loader) {
            synchronized (enhancers) {
                return enhancers.computeIfAbsent(
                        loader, l -> Enhancer.of(ClassFileLocator.ForClassLoader.WeaklyReferenced.of(l)));
            }
        }

        private static boolean skipped(String name) {
            return name.startsWith("java/")
                    || name.startsWith("javax/")
                    || name.startsWith("jdk/")
                    || name.startsWith("sun/")
                    || name.startsWith("com/sun/")
                    || name.startsWith("net/bytebuddy/")
                    || name.startsWith("org/cairndb/enhancer/")
                    || name.equals("org/cairndb/client/Persistent");
        }
    }
}
