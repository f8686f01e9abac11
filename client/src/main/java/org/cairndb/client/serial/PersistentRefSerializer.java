package org.cairndb.client.serial;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.cairndb.client.Persistent;

/**
 * Writes a field that holds a persistent object as the object's oid, never inline: each
 * persistent object is its own record. Kryo writes the class (by name) in front of it when
 * the field's type is not final, so a ghost of the right class can be made without a load.
 */
final class PersistentRefSerializer extends Serializer<Persistent> {
    private final ObjectCodec codec;

    PersistentRefSerializer(ObjectCodec codec) {
        this.codec = codec;
    }

    @Override
    public void write(Kryo kryo, Output output, Persistent object) {
        long oid = codec.references().oidOf(object);
        codec.noteReference(oid);
        output.writeVarLong(oid, true);
    }

    @Override
    public Persistent read(Kryo kryo, Input input, Class<? extends Persistent> type) {
        long oid = input.readVarLong(true);
        return codec.references().resolve(oid, type);
    }
}
