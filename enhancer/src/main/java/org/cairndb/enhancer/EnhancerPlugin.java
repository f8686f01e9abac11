package org.cairndb.enhancer;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.build.Plugin;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.pool.TypePool;

/**
 * The build-time way in: a Byte Buddy build plugin, found by byte-buddy-maven-plugin (and Byte
 * Buddy's Gradle plugin) through {@code META-INF/net.bytebuddy/build.plugins} once cairn-enhancer
 * is a dependency of the build plugin. Whether a class needs enhancement depends on its
 * instructions, which a {@link TypeDescription} does not show, so every class file is read once
 * in {@link #onPreprocess} (Byte Buddy calls it for all types before transforming any) and the
 * chosen names are kept for {@link #matches}. Run with the DECORATE entry point: nothing but the
 * instructions {@link Enhancer} adds changes in a class.
 */
public final class EnhancerPlugin implements Plugin, Plugin.WithPreprocessor {
    private final Set<String> chosen = ConcurrentHashMap.newKeySet();
    private volatile Enhancer enhancer;

    @Override
    public void onPreprocess(TypeDescription type, ClassFileLocator locator) {
        Enhancer e = enhancer;
        if (e == null) {
            synchronized (this) {
                if (enhancer == null) enhancer = Enhancer.of(locator);
                e = enhancer;
            }
        }
        try {
            ClassFileLocator.Resolution r = locator.locate(type.getName());
            if (r.isResolved() && e.needsEnhancement(r.resolve())) chosen.add(type.getName());
        } catch (IOException unreadable) {
            throw new IllegalStateException(
                    "cannot read the class file of " + type.getName() + ": " + unreadable, unreadable);
        }
    }

    @Override
    public boolean matches(TypeDescription target) {
        return chosen.contains(target.getName());
    }

    @Override
    public DynamicType.Builder<?> apply(
            DynamicType.Builder<?> builder, TypeDescription type, ClassFileLocator locator) {
        Enhancer e = enhancer;
        return builder.visit(new AsmVisitorWrapper.AbstractBase() {
            @Override
            public ClassVisitor wrap(
                    TypeDescription instrumentedType,
                    ClassVisitor next,
                    Implementation.Context context,
                    TypePool typePool,
                    FieldList<FieldDescription.InDefinedShape> fields,
                    MethodList<?> methods,
                    int writerFlags,
                    int readerFlags) {
                return e.visitor(next);
            }
        });
    }

    @Override
    public void close() {
        chosen.clear();
    }
}
