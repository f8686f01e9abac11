package org.cairndb.client.serial;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cairndb.client.ConnectionMisuseException;
import org.cairndb.client.MissingClassException;
import org.cairndb.client.ObjectLayerException;
import org.cairndb.client.Persistent;
import org.cairndb.client.SchemaMismatchException;
import org.cairndb.client.UnserializableException;
import org.cairndb.storage.CorruptDataException;
import org.cairndb.storage.Oid;
import org.cairndb.storage.RecordHeader;
import org.objenesis.instantiator.ObjectInstantiator;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Turns one persistent object into one record and back: a {@link RecordHeader} (class name,
 * referenced oids) followed by a Kryo body of the object's fields.
 *
 * <h2>Design</h2>
 * <ul>
 * <li>The object's own fields go through a {@link com.esotericsoftware.kryo.serializers.CompatibleFieldSerializer} with chunked
 *     encoding: fields are written with their names, so a class that gained or lost a field
 *     still reads old records (a missing field keeps its default, an unknown one is
 *     skipped). Inline (non-persistent) values use the same serializer by default.</li>
 * <li>A field holding another {@link Persistent} is written as its oid through
 *     {@link PersistentRefSerializer}; the oids are collected into the header so storages can
 *     walk references (pack) without knowing Kryo.</li>
 * <li>Classes are written by name, never by registration number (which would differ
 *     between processes).</li>
 * <li>Reading follows renamed classes and fields and widened field types
 *     ({@link Renames}, {@link EvolvingFieldSerializer}); a value that cannot be mapped
 *     fails with a {@link SchemaMismatchException} naming class, oid and field.</li>
 * <li>Decoding fills an existing instance (the ghost) rather than creating one, so object
 *     identity within a connection is kept: {@code BodySerializer.create} hands back the
 *     target.</li>
 * </ul>
 *
 * <h2>Concurrency</h2>
 * Kryo instances are not thread-safe, so neither is a codec: a connection owns one (it is
 * used by one thread at a time); conflict resolution, which runs on storage threads, keeps
 * one per thread.
 *
 * <h2>Alternatives rejected</h2>
 * Java serialization (no lazy references, fragile evolution, slow); registering classes
 * with Kryo ids (ids differ between processes and versions); writing referenced objects
 * inline (would duplicate them and break identity).
 */
public final class ObjectCodec {
    private final Kryo kryo;
    private final Output output = new Output(4096, -1);
    private final Input input = new Input();
    private final Map<Class<?>, BodySerializer> bodies = new HashMap<>();
    private References references;
    private final List<Long> collected = new ArrayList<>();
    private Object target;
    /** Persistent objects are made without running constructors: a ghost's constructor must not create objects. */
    private static final StdInstantiatorStrategy OBJENESIS = new StdInstantiatorStrategy();

    private final Map<Class<?>, ObjectInstantiator<?>> instantiators = new HashMap<>();

    private final Renames renames;
    /** Persistent classes by the name records store them under (renamed ones under their former names too). */
    private final Map<String, Class<? extends Persistent>> persistentClasses = new HashMap<>();

    public ObjectCodec(ClassLoader loader) {
        this(loader, Renames.none());
    }

    /** A codec whose reading maps the old names of renamed classes and fields ({@link Renames}). */
    public ObjectCodec(ClassLoader loader, Renames renames) {
        this.renames = renames;
        this.kryo = KryoSetup.create(loader, this, renames);
    }

    References references() {
        References r = references;
        if (r == null) throw new IllegalStateException("codec used outside encode/decode");
        return r;
    }

    void noteReference(long oid) {
        collected.add(oid);
    }

    /** The record for {@code obj}: header with class name and referenced oids, then the body. */
    public byte[] encode(Persistent obj, References refs) {
        Class<?> type = obj.getClass();
        byte[] body;
        references = refs;
        collected.clear();
        try {
            output.reset();
            kryo.writeObject(output, obj, body(type));
            body = output.toBytes();
        } catch (KryoException e) {
            throw translateWrite(obj, e);
        } finally {
            references = null;
            kryo.reset();
        }
        long[] refsArray =
                collected.stream().distinct().mapToLong(Long::longValue).toArray();
        return new RecordHeader(type.getName(), refsArray).encode(body);
    }

    /** Serializes an inline value alone (no header): used to compare states during conflict resolution. */
    public byte[] encodeValue(Object value, References refs) {
        references = refs;
        try {
            output.reset();
            kryo.writeClassAndObject(output, value);
            return output.toBytes();
        } finally {
            references = null;
            kryo.reset();
        }
    }

    /**
     * Fills {@code into} from the body of {@code record}, which starts at {@code bodyOffset}.
     *
     * @throws MissingClassException if the body names a class that is not on the class path
     */
    public void decodeInto(Persistent into, byte[] record, int bodyOffset, References refs) {
        references = refs;
        target = into;
        try {
            input.setBuffer(record, bodyOffset, record.length - bodyOffset);
            kryo.readObject(input, into.getClass(), body(into.getClass()));
        } catch (KryoException e) {
            throw translateRead(into, e);
        } catch (SchemaMismatchException e) {
            throw new SchemaMismatchException("cannot load " + into.describe() + ": " + e.getMessage());
        } finally {
            references = null;
            target = null;
            kryo.reset();
        }
    }

    /**
     * The persistent class named in a record header.
     *
     * @throws MissingClassException if it is not on the class path, or not persistent
     */
    public Class<? extends Persistent> persistentClass(String className, long oid) {
        Class<? extends Persistent> known = persistentClasses.get(className);
        if (known != null) return known; // a cold read asks once per object: Class.forName each time cost a JVM lookup
        Class<?> c = renames.classFor(className);
        if (c == null) c = loadClass(className, oid);
        renames.learn(c);
        if (!Persistent.class.isAssignableFrom(c)) {
            throw new MissingClassException("oid " + Oid.describe(oid) + " holds class " + className
                    + ", which does not extend " + Persistent.class.getName() + " (was the class changed?)");
        }
        Class<? extends Persistent> p = c.asSubclass(Persistent.class);
        persistentClasses.put(className, p);
        return p;
    }

    private Class<?> loadClass(String className, long oid) {
        try {
            return Class.forName(className, false, kryo.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new MissingClassException(
                    "oid " + Oid.describe(oid) + " holds an object of class " + className
                            + ", which is not on the class path (" + e + "); add the jar that defines it, or remove the"
                            + " object (e.g. with the migrate tool) if the class is gone for good; if it was renamed, put"
                            + " @FormerName(\"" + className
                            + "\") on the class now and name that class to Database.builder()"
                            + ".persistentClasses(...), or register Database.builder().renamedClass(...)",
                    e);
        }
    }

    /** The class a renamed class's old name now stands for, or null. */
    public Class<?> renamedClass(String storedName) {
        return renames.classFor(storedName);
    }

    /** A new instance of a persistent class, made without calling a constructor (a ghost's shell). */
    public <T extends Persistent> T newInstance(Class<T> type) {
        ObjectInstantiator<?> i = instantiators.get(type);
        if (i == null) {
            i = OBJENESIS.newInstantiatorOf(type);
            instantiators.put(type, i);
        }
        return type.cast(i.newInstance());
    }

    /**
     * The stored fields ({@code Book.tags}) whose values differ between two instances of one
     * persistent class, compared by their encoding (references by the oid {@code refs} gives).
     */
    public List<String> differingFields(Persistent now, Persistent before, References refs) {
        List<String> out = new ArrayList<>();
        for (java.lang.reflect.Field f : StateFields.of(now.getClass())) {
            Object a;
            Object b;
            try {
                a = f.get(now);
                b = f.get(before);
            } catch (IllegalAccessException | RuntimeException unreadable) {
                continue;
            }
            if (a == b) continue;
            if (a == null || b == null || !Arrays.equals(encodeValue(a, refs), encodeValue(b, refs))) {
                out.add(f.getDeclaringClass().getSimpleName() + "." + f.getName());
            }
        }
        return out;
    }

    /** Sets every stored field of {@code p} back to its default, freeing what it referenced. */
    public static void clearState(Persistent p) {
        StateFields.clear(p);
    }

    private Serializer<?> body(Class<?> type) {
        BodySerializer s = bodies.get(type);
        if (s == null) {
            renames.learn(type);
            s = new BodySerializer(kryo, type, renames);
            bodies.put(type, s);
        }
        return s;
    }

    /** The serializer of a persistent object's own fields; reads into the current target. */
    private final class BodySerializer extends EvolvingFieldSerializer<Object> {
        BodySerializer(Kryo kryo, Class<?> type, Renames renames) {
            super(kryo, type, renames);
        }

        @Override
        protected Object create(Kryo kryo, Input input, Class<?> type) {
            Object t = target;
            if (t != null && t.getClass() == type) {
                target = null;
                return t;
            }
            return super.create(kryo, input, type);
        }
    }

    private RuntimeException translateWrite(Persistent obj, KryoException e) {
        String path = fieldPath(obj.getClass(), e);
        Throwable cause = rootCause(e);
        if (cause instanceof ConnectionMisuseException cm) {
            return new ConnectionMisuseException(
                    "cannot store " + obj.describe() + ": field " + path + ": " + cm.getMessage(), cm);
        }
        if (cause instanceof ObjectLayerException ole && !(cause instanceof UnserializableException)) {
            return ole;
        }
        return new UnserializableException(
                "cannot store " + obj.describe() + ": the value at field path " + path
                        + " cannot be serialized: " + cause.getMessage()
                        + ". Mark the field transient, or keep a storable value (data, collections, records, persistent objects) there",
                e);
    }

    private RuntimeException translateRead(Persistent into, KryoException e) {
        String path = fieldPath(into.getClass(), e);
        Throwable cause = rootCause(e);
        if (cause instanceof SchemaMismatchException sm) {
            return new SchemaMismatchException("cannot load " + into.describe() + ": " + sm.getMessage());
        }
        if (cause instanceof ObjectLayerException ole) return ole;
        String msg = e.getMessage() == null ? "" : e.getMessage();
        if (cause instanceof ClassNotFoundException || msg.startsWith("Unable to find class")) {
            String cls =
                    msg.startsWith("Unable to find class: ") ? msg.substring(22).split("\\s")[0] : cause.getMessage();
            return new MissingClassException(
                    "loading " + into.describe() + ": its field " + path + " holds a value of class " + cls
                            + ", which is not on the class path; add the jar that defines it",
                    e);
        }
        return new CorruptDataException("cannot decode the record of " + into.describe() + " at field " + path
                + " (the record does not match the class; was a field's type changed incompatibly?): " + cause);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            if (c instanceof ObjectLayerException) return c;
            c = c.getCause();
        }
        return c;
    }

    /**
     * The field path from Kryo's "Serialization trace" (innermost first), outermost first:
     * {@code Book.cover -> Image.stream}.
     */
    static String fieldPath(Class<?> root, KryoException e) {
        String msg = e.getMessage();
        int at = msg == null ? -1 : msg.indexOf("Serialization trace:");
        if (at < 0) return root.getSimpleName() + " (top level)";
        List<String> lines =
                new ArrayList<>(Arrays.asList(msg.substring(at + 20).trim().split("\n")));
        Collections.reverse(lines);
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            line = line.trim();
            int p = line.indexOf(" (");
            if (p < 0 || !line.endsWith(")")) continue;
            String field = line.substring(0, p);
            String owner = line.substring(p + 2, line.length() - 1);
            owner = owner.substring(Math.max(owner.lastIndexOf('.'), owner.lastIndexOf('$')) + 1);
            if (sb.length() > 0) sb.append(" -> ");
            sb.append(owner).append('.').append(field);
        }
        return sb.length() == 0 ? root.getSimpleName() + " (top level)" : sb.toString();
    }
}
