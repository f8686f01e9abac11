package org.cairndb.storage.matrix;

import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.lifecycle.AfterContainerHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.ParameterResolutionContext;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.ResolveParameterHook;
import org.cairndb.storage.Storage;
import org.cairndb.storage.conformance.StorageFixture;

/**
 * jqwik's half of {@link OnStorages}: runs a property once per storage (the method's list, or
 * else the class's), each run a whole property (its tries and its shrinking); the first
 * storage that fails fails the property, the message starting with the storage's name.
 * Supplies {@link StorageKind} and {@link Storage} parameters: the storage is one per class
 * and kind, shared by every try and property of the class and closed after the class.
 */
public final class StorageMatrixHook implements AroundPropertyHook, ResolveParameterHook, AfterContainerHook {
    /**
     * The storage of the latest run. Not a ThreadLocal: jqwik may shrink on another thread, and
     * may resolve parameters again after the hook returns (to report a falsified sample), so it
     * is kept after the run. jqwik runs one property at a time.
     */
    private static volatile StorageKind current;
    /** True while a matrix runs (the hook may be registered by the class and by the method). */
    private static volatile boolean running;

    private static final Map<Key, Shared> SHARED = new ConcurrentHashMap<>();

    private record Key(Class<?> testClass, StorageKind kind) {}

    private record Shared(StorageFixture fixture, Storage storage) {
        void close() {
            try {
                storage.close();
            } finally {
                fixture.close();
            }
        }
    }

    public StorageMatrixHook() {}

    /** Registered on a class, it runs that class's properties (and closes its storages after it). */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.DIRECT_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        if (running) return property.execute(); // registered twice (class and method): the outer one runs the matrix
        StorageKind[] kinds = kinds(context.targetMethod(), context.containerClass());
        PropertyExecutionResult last = null;
        running = true;
        try {
            for (StorageKind kind : kinds) {
                current = kind;
                MatrixFields.inject(context.testInstance(), kind);
                PropertyExecutionResult r = property.execute();
                if (r.status() == PropertyExecutionResult.Status.FAILED) {
                    Throwable t = r.throwable().orElse(null);
                    String why = t == null ? "failed" : t.getMessage();
                    AssertionError named = new AssertionError("[" + kind + "] " + why, t);
                    return r.mapToFailed(named);
                }
                if (last == null || last.status() == PropertyExecutionResult.Status.SUCCESSFUL) last = r;
            }
        } finally {
            running = false;
        }
        return last;
    }

    private static StorageKind[] kinds(Method method, Class<?> testClass) {
        OnStorages on = method.getAnnotation(OnStorages.class);
        if (on == null) on = testClass.getAnnotation(OnStorages.class);
        if (on == null || on.value().length == 0) {
            throw new IllegalStateException(
                    "@OnStorages on " + method + " names no storage: name at least one StorageKind");
        }
        return on.value();
    }

    @Override
    public Optional<ParameterSupplier> resolve(ParameterResolutionContext parameter, LifecycleContext context) {
        Class<?> type = parameter.typeUsage().getRawType();
        Class<?> testClass = context.optionalContainerClass().orElse(null);
        if (type == StorageKind.class) return Optional.of(optionalTry -> current());
        if (type == Storage.class && testClass != null) return Optional.of(optionalTry -> shared(testClass, current()));
        return Optional.empty();
    }

    private static StorageKind current() {
        StorageKind kind = current;
        if (kind == null) throw new IllegalStateException("no @OnStorages run yet: is the property's class annotated?");
        return kind;
    }

    private static Storage shared(Class<?> testClass, StorageKind kind) {
        return SHARED.computeIfAbsent(new Key(testClass, kind), k -> {
                    StorageFixture f = kind.fixture(testClass);
                    return new Shared(f, f.open());
                })
                .storage();
    }

    @Override
    public void afterContainer(ContainerLifecycleContext context) {
        Class<?> testClass = context.optionalContainerClass().orElse(null);
        RuntimeException first = null;
        for (Iterator<Map.Entry<Key, Shared>> it = SHARED.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Shared> e = it.next();
            if (e.getKey().testClass() != testClass) continue;
            it.remove();
            try {
                e.getValue().close();
            } catch (RuntimeException x) {
                if (first == null) first = x;
                else first.addSuppressed(x);
            }
        }
        if (first != null) throw first;
    }
}
