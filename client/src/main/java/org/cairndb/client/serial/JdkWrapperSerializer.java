package org.cairndb.client.serial;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The JDK's {@code Collections.unmodifiable*} and {@code synchronized*} wrappers: on Java 17
 * Kryo cannot reach their fields without opening {@code java.util} (docs/architecture.md, "Serialization pitfalls"), so they are
 * stored as their elements and rebuilt as the same kind of wrapper around an ordinary
 * collection.
 */
final class JdkWrapperSerializer extends Serializer<Object> {
    private final boolean map;
    private final Function<Object, Object> wrap;

    private JdkWrapperSerializer(boolean map, Function<Object, Object> wrap) {
        this.map = map;
        this.wrap = wrap;
        setAcceptsNull(false);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void register(Kryo kryo) {
        List<Object> l = new ArrayList<>();
        Set<Object> s = new LinkedHashSet<>();
        Map<Object, Object> m = new LinkedHashMap<>();
        add(kryo, Collections.unmodifiableList(l), false, x -> Collections.unmodifiableList((List) x));
        add(
                kryo,
                Collections.unmodifiableList(new java.util.LinkedList<>()),
                false,
                x -> Collections.unmodifiableList((List) x));
        add(
                kryo,
                Collections.unmodifiableSet(s),
                false,
                x -> Collections.unmodifiableSet(new LinkedHashSet<>((Collection) x)));
        add(
                kryo,
                Collections.unmodifiableCollection(l),
                false,
                x -> Collections.unmodifiableCollection((Collection) x));
        add(kryo, Collections.unmodifiableMap(m), true, x -> Collections.unmodifiableMap((Map) x));
        add(kryo, Collections.synchronizedList(l), false, x -> Collections.synchronizedList((List) x));
        add(
                kryo,
                Collections.synchronizedSet(s),
                false,
                x -> Collections.synchronizedSet(new LinkedHashSet<>((Collection) x)));
        add(kryo, Collections.synchronizedMap(m), true, x -> Collections.synchronizedMap((Map) x));
        kryo.addDefaultSerializer(
                java.util.EnumMap.class,
                new RefusingSerializer(
                        "Kryo cannot read an EnumMap's key type on Java 17 without opening java.util; store a HashMap (or a map keyed by the enum names) instead"));
    }

    private static void add(Kryo kryo, Object sample, boolean map, Function<Object, Object> wrap) {
        kryo.addDefaultSerializer(sample.getClass(), new JdkWrapperSerializer(map, wrap));
    }

    @Override
    public void write(Kryo kryo, Output output, Object object) {
        if (map) {
            LinkedHashMap<Object, Object> copy;
            synchronized (object) {
                copy = new LinkedHashMap<>((Map<?, ?>) object);
            }
            kryo.writeObject(output, copy);
        } else {
            ArrayList<Object> copy;
            synchronized (object) {
                copy = new ArrayList<>((Collection<?>) object);
            }
            kryo.writeObject(output, copy);
        }
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
        Object inner = map ? kryo.readObject(input, LinkedHashMap.class) : kryo.readObject(input, ArrayList.class);
        return wrap.apply(inner);
    }
}
