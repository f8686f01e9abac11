package org.cairndb.storage.conformance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.cairndb.storage.Storage;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Supplies {@link Storage} and {@link StorageFixture} parameters to contract tests and closes
 * what it handed out when the test ends (JUnit closes {@link ExtensionContext.Store.CloseableResource}
 * values of the method's store after the test).
 */
final class KitExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KitExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
        Class<?> type = p.getParameter().getType();
        return type == Storage.class || type == StorageFixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
        TrackingFixture fixture = fixtureFor(ctx);
        return p.getParameter().getType() == Storage.class ? fixture.open() : fixture;
    }

    static TrackingFixture fixtureFor(ExtensionContext ctx) {
        Object instance = ctx.getRequiredTestInstance();
        if (!(instance instanceof StorageContract contract)) {
            throw new ParameterResolutionException(instance.getClass().getName() + " is not a StorageContract");
        }
        return ctx.getStore(NS)
                .getOrComputeIfAbsent(
                        "fixture",
                        k -> {
                            StorageFixture f = contract.fixture();
                            if (f == null) {
                                throw new ParameterResolutionException(
                                        instance.getClass().getName() + ".fixture() returned null");
                            }
                            return new TrackingFixture(f);
                        },
                        TrackingFixture.class);
    }

    /**
     * Wraps the storage module's fixture and remembers every storage it returns, so the test
     * need not close them (it may: closing twice must be harmless, and the kit checks that).
     */
    static final class TrackingFixture implements StorageFixture, ExtensionContext.Store.CloseableResource {
        private final StorageFixture delegate;
        private final List<Storage> opened = Collections.synchronizedList(new ArrayList<>());

        TrackingFixture(StorageFixture delegate) {
            this.delegate = delegate;
        }

        private Storage track(Storage s) {
            if (s == null) throw new IllegalStateException("fixture " + delegate + " returned a null storage");
            opened.add(s);
            return s;
        }

        @Override
        public Storage open() {
            return track(delegate.open());
        }

        @Override
        public boolean persistent() {
            return delegate.persistent();
        }

        @Override
        public Storage reopen(Storage storage) {
            return track(delegate.reopen(storage));
        }

        @Override
        public boolean canOpenPeer() {
            return delegate.canOpenPeer();
        }

        @Override
        public Storage openPeer(Storage storage) {
            return track(delegate.openPeer(storage));
        }

        @Override
        public boolean canOpenReadOnly() {
            return delegate.canOpenReadOnly();
        }

        @Override
        public Storage openReadOnly(Storage storage) {
            return track(delegate.openReadOnly(storage));
        }

        @Override
        public void close() {
            RuntimeException first = null;
            List<Storage> all;
            synchronized (opened) {
                all = new ArrayList<>(opened);
                opened.clear();
            }
            Collections.reverse(all); // peers and reopened ones before the originals
            for (Storage s : all) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    if (first == null) first = e;
                    else first.addSuppressed(e);
                }
            }
            try {
                delegate.close();
            } catch (Exception e) {
                RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                if (first == null) first = r;
                else first.addSuppressed(r);
            }
            if (first != null) throw first;
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }
}
