package org.cairndb.client.conflict;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cairndb.client.Persistent;
import org.cairndb.client.Placeholders;
import org.cairndb.client.serial.ObjectCodec;
import org.cairndb.client.serial.References;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.conflict.ConflictResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The object layer's {@link ConflictResolver}, found by storages (and the network server)
 * through {@code META-INF/services}: it decodes the three records of a conflicting object
 * with the object layer's codec, asks the class's {@link Resolvable#resolve} to merge them,
 * and encodes the result. Classes are loaded by the name in the record header through the
 * thread's context class loader (falling back to this class's loader).
 *
 * <h2>Concurrency</h2>
 * Storages call resolvers from several threads at once; codecs (Kryo) are not thread-safe,
 * so each thread keeps its own codec per class loader. A resolution never throws: any
 * failure (unknown class, undecodable state, an exception in resolve) means "cannot
 * merge", and the storage reports the conflict.
 */
public final class ObjectConflictResolver implements ConflictResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectConflictResolver.class);
    private static final ThreadLocal<Map<ClassLoader, ObjectCodec>> CODECS = ThreadLocal.withInitial(HashMap::new);
    private static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();
    private final ConcurrentHashMap<String, Class<?>> resolvable = new ConcurrentHashMap<>();

    public ObjectConflictResolver() {}

    @Override
    public boolean handles(String className) {
        return resolvableClass(className) != null;
    }

    private Class<?> resolvableClass(String className) {
        Class<?> c = resolvable.get(className);
        if (c != null) return c == Void.class ? null : c;
        c = Void.class;
        for (ClassLoader cl : new ClassLoader[] {
            Thread.currentThread().getContextClassLoader(), ObjectConflictResolver.class.getClassLoader()
        }) {
            if (cl == null) continue;
            try {
                Class<?> found = Class.forName(className, false, cl);
                if (Persistent.class.isAssignableFrom(found) && Resolvable.class.isAssignableFrom(found)) c = found;
                break;
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next loader
            }
        }
        resolvable.put(className, c);
        return c == Void.class ? null : c;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public byte[] resolve(long oid, String className, byte[] ancestor, byte[] committed, byte[] mine) {
        Class<?> type = resolvableClass(className);
        if (type == null) return null;
        ObjectCodec codec = CODECS.get().computeIfAbsent(type.getClassLoader(), ObjectCodec::new);
        Context ctx = new Context(codec);
        Context outer = CURRENT.get();
        CURRENT.set(ctx);
        try {
            Persistent a = ancestor == null ? null : ctx.decode(type, ancestor);
            Persistent c = ctx.decode(type, committed);
            Persistent m = ctx.decode(type, mine);
            Persistent merged = (Persistent) ((Resolvable) m).resolve(a, c, m);
            if (merged == null) return null;
            return codec.encode(merged, ctx);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("conflict on oid {} ({}) not resolved: {}", oid, className, e.toString());
            return null;
        } finally {
            if (outer == null) CURRENT.remove();
            else CURRENT.set(outer);
        }
    }

    /** True if the two values have the same stored state (persistent references compare by oid). */
    static boolean sameState(Object a, Object b) {
        if (a == b) return true;
        if (a == null || b == null) return false;
        if (a instanceof Persistent || b instanceof Persistent) return false;
        if (a.getClass() != b.getClass()) return false;
        if (a instanceof String
                || a instanceof Number
                || a instanceof Boolean
                || a instanceof Character
                || a instanceof Enum) {
            return a.equals(b);
        }
        Context ctx = CURRENT.get();
        if (ctx == null) return java.util.Objects.deepEquals(a, b);
        return java.util.Arrays.equals(ctx.codec.encodeValue(a, ctx), ctx.codec.encodeValue(b, ctx));
    }

    /** Placeholders by oid, shared by the three states of one resolution. */
    private static final class Context implements References {
        final ObjectCodec codec;
        final Map<Long, Persistent> placeholders = new HashMap<>();

        Context(ObjectCodec codec) {
            this.codec = codec;
        }

        Persistent decode(Class<?> type, byte[] record) {
            Persistent p = codec.newInstance(type.asSubclass(Persistent.class));
            codec.decodeInto(p, record, RecordHeader.parse(record).bodyOffset(), this);
            return p;
        }

        @Override
        public long oidOf(Persistent target) {
            if (target.oid() < 0) {
                throw new IllegalStateException("resolve() created a new persistent object (" + target.describe()
                        + "); resolution may only combine existing states");
            }
            return target.oid();
        }

        @Override
        public Persistent resolve(long oid, Class<? extends Persistent> type) {
            return placeholders.computeIfAbsent(oid, o -> Placeholders.placeholder(codec.newInstance(type), o));
        }
    }
}
