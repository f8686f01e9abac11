package org.cairndb.storage.matrix;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.cairndb.storage.Storage;
import org.cairndb.storage.conformance.StorageContract;
import org.cairndb.storage.conformance.StorageFixture;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * JUnit Jupiter's half of {@link OnStorages}: one invocation of the class per storage, named
 * after it, each giving its tests the storage (see {@link OnStorages} for what they receive).
 */
final class StorageMatrixExtension implements ClassTemplateInvocationContextProvider {
    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(StorageMatrixExtension.class);

    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
        return AnnotationSupport.isAnnotated(context.getTestClass(), OnStorages.class);
    }

    @Override
    public Stream<? extends ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(
            ExtensionContext context) {
        OnStorages on = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), OnStorages.class)
                .orElseThrow();
        if (on.value().length == 0) {
            throw new IllegalStateException("@OnStorages on "
                    + context.getRequiredTestClass().getName() + " names no storage: name at least one StorageKind");
        }
        return Arrays.stream(on.value()).map(Run::new);
    }

    /** One storage's run of the class. */
    private record Run(StorageKind kind) implements ClassTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + kind + "]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new Supply(kind));
        }
    }

    /**
     * Sets the instance's StorageKind field, resolves StorageKind, Storage and StorageFixture
     * parameters, and starts a failure's message with the storage's name (a build's report
     * shows the invocation's index, not its display name).
     */
    private record Supply(StorageKind kind)
            implements TestInstancePostProcessor, ParameterResolver, TestExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
            if (failure instanceof TestAbortedException) throw failure; // a skip (an assumption) stays a skip
            AssertionError named = new AssertionError("[" + kind + "] " + failure.getMessage(), failure);
            named.setStackTrace(failure.getStackTrace());
            throw named;
        }

        @Override
        public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
            MatrixFields.inject(testInstance, kind);
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
            Class<?> type = p.getParameter().getType();
            if (type == StorageKind.class) return true;
            // a conformance contract's own extension supplies these from fixture()
            boolean contract =
                    ctx.getTestInstance().map(i -> i instanceof StorageContract).orElse(false);
            return !contract && (type == Storage.class || type == StorageFixture.class);
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
            Class<?> type = p.getParameter().getType();
            if (type == StorageKind.class) return kind;
            // the store closes the fixture after the test, and the fixture every storage it opened
            Fixtures fixtures = ctx.getStore(NS)
                    .getOrComputeIfAbsent(
                            "fixtures", k -> new Fixtures(kind.fixture(ctx.getRequiredTestClass())), Fixtures.class);
            return type == Storage.class ? fixtures.open() : fixtures.fixture;
        }
    }

    /** A fixture and the storages opened from it, closed together after the test. */
    private static final class Fixtures implements AutoCloseable {
        final StorageFixture fixture;
        private final List<Storage> opened = new java.util.ArrayList<>();

        Fixtures(StorageFixture fixture) {
            this.fixture = fixture;
        }

        synchronized Storage open() {
            Storage s = fixture.open();
            opened.add(s);
            return s;
        }

        @Override
        public synchronized void close() {
            try {
                for (Storage s : opened) s.close();
            } finally {
                fixture.close();
            }
        }
    }
}
