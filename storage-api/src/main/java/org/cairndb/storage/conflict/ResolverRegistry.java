package org.cairndb.storage.conflict;

import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cairndb.storage.RecordHeader;
import org.jspecify.annotations.Nullable;

/**
 * The resolvers a storage asks when a write conflicts, chosen by the class name in the
 * record header. The first resolver that {@link ConflictResolver#handles handles} the class
 * and returns a merge wins; resolvers added by hand are asked before those found on the
 * class path.
 */
public final class ResolverRegistry {
    private final CopyOnWriteArrayList<ConflictResolver> resolvers = new CopyOnWriteArrayList<>();

    /** An empty registry: every conflict stays a conflict. */
    public ResolverRegistry() {}

    /** The resolvers found with ServiceLoader in {@code loader}. */
    public static ResolverRegistry fromClassPath(ClassLoader loader) {
        ResolverRegistry r = new ResolverRegistry();
        for (ConflictResolver cr : ServiceLoader.load(ConflictResolver.class, loader)) r.resolvers.add(cr);
        return r;
    }

    /** The resolvers found with ServiceLoader on the context class loader (or this class's). */
    public static ResolverRegistry fromClassPath() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return fromClassPath(cl != null ? cl : ResolverRegistry.class.getClassLoader());
    }

    /** Adds a resolver ahead of the ones already registered. */
    public ResolverRegistry add(ConflictResolver resolver) {
        resolvers.add(0, resolver);
        return this;
    }

    public List<ConflictResolver> resolvers() {
        return List.copyOf(resolvers);
    }

    /**
     * Tries to merge a conflicting store.
     *
     * @return the merged record, or null if no resolver handles the class or every one
     *         declined (foreign records, without a header, are never resolved)
     */
    public byte @Nullable [] tryResolve(
            long oid, byte @Nullable [] ancestor, byte @Nullable [] committed, byte @Nullable [] mine) {
        if (committed == null || mine == null) return null;
        String className = RecordHeader.classNameOf(mine);
        if (className == null || !className.equals(RecordHeader.classNameOf(committed))) return null;
        for (ConflictResolver r : resolvers) {
            if (!r.handles(className)) continue;
            byte[] merged = r.resolve(oid, className, ancestor, committed, mine);
            if (merged != null) return merged;
        }
        return null;
    }
}
