package org.cairndb.client.serial;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Serializes free-standing values (the fragment cache's values) with the same Kryo setup as
 * records, minus persistent objects: a fragment holds what was computed from objects, never
 * the objects themselves (they belong to one connection). Thread-safe: one Kryo per thread.
 */
public final class ValueCodec {
    private final ThreadLocal<State> state;

    private static final class State {
        final Kryo kryo;
        final Output output = new Output(1024, -1);
        final Input input = new Input();

        State(ClassLoader loader) {
            kryo = KryoSetup.create(loader, null, Renames.none()); // no codec: persistent objects are refused
        }
    }

    public ValueCodec(ClassLoader loader) {
        this.state = ThreadLocal.withInitial(() -> new State(loader));
    }

    public byte[] encode(Object value) {
        State s = state.get();
        try {
            s.output.reset();
            s.kryo.writeClassAndObject(s.output, value);
            return s.output.toBytes();
        } finally {
            s.kryo.reset();
        }
    }

    public Object decode(byte[] bytes) {
        State s = state.get();
        try {
            s.input.setBuffer(bytes);
            return s.kryo.readClassAndObject(s.input);
        } finally {
            s.kryo.reset();
        }
    }
}
