package org.cairndb.client.serial;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.cairndb.client.UnserializableException;

/**
 * Stands for types whose state means nothing outside the running process (threads, streams,
 * sockets, class loaders, lambdas, connections): storing one is refused with a clear error
 * instead of Kryo walking into its internals and failing somewhere deep, or worse, writing
 * something that cannot be read back.
 */
final class RefusingSerializer extends Serializer<Object> {
    private final String why;

    RefusingSerializer(String why) {
        this.why = why;
    }

    @Override
    public void write(Kryo kryo, Output output, Object object) {
        throw new UnserializableException(object.getClass().getName() + " cannot be stored: " + why);
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
        throw new UnserializableException(type.getName() + " cannot be read: " + why);
    }
}
