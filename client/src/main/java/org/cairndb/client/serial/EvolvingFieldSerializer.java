package org.cairndb.client.serial;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.InputChunked;
import com.esotericsoftware.kryo.serializers.CompatibleFieldSerializer;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import org.cairndb.client.SchemaMismatchException;

/**
 * Kryo's compatible field serialization (fields written by name, chunked), with reading that
 * follows a class's evolution: a stored field name is matched to the field of that name, or
 * to the field that names it in a {@link org.cairndb.client.FormerName} or a registered
 * rename ({@link Renames}); a stored value whose type the field no longer declares is widened
 * when that loses nothing ({@link Widening}: {@code int} to {@code long}, {@code Integer} to
 * {@code int}, ...), and otherwise fails with a {@link SchemaMismatchException} naming the
 * field, where Kryo's own reader skips such a value silently (leaving the field at its
 * default, a lost value once the object is stored again). Writing is Kryo's, unchanged: the
 * next store of an object writes its new shape.
 *
 * <p>The field a value fills is checked against its declared type, not the value class Kryo
 * last saw on the shared field (which changes with each value written).
 */
class EvolvingFieldSerializer<T> extends CompatibleFieldSerializer<T> {
    private final Renames renames;
    private final Map<String, CachedField> byName = new HashMap<>();

    EvolvingFieldSerializer(Kryo kryo, Class<?> type, Renames renames) {
        super(kryo, type, KryoSetup.compatibleConfig());
        this.renames = renames;
        for (CachedField f : getFields()) byName.put(f.getName(), f);
    }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
        int pop = pushTypeVariables();
        T object = create(kryo, input, type);
        kryo.reference(object);
        CachedField[] fields = (CachedField[]) kryo.getGraphContext().get(this);
        if (fields == null) fields = readSchema(kryo, input);
        InputChunked in =
                new InputChunked(input, getCompatibleFieldSerializerConfig().getChunkSize());
        for (CachedField f : fields) {
            readField(kryo, in, f, object);
            in.nextChunk();
        }
        if (pop > 0) popTypeVariables(pop);
        return object;
    }

    /** The fields of the stored schema (field names, first time the class occurs in a record), null for those gone. */
    private CachedField[] readSchema(Kryo kryo, Input input) {
        int n = input.readVarInt(true);
        CachedField[] fields = new CachedField[n];
        for (int i = 0; i < n; i++) {
            String stored = input.readString();
            CachedField f = byName.get(stored);
            if (f == null) {
                String now = renames.fieldFor(getType(), stored);
                if (now != null) f = byName.get(now);
            }
            fields[i] = f;
        }
        kryo.getGraphContext().put(this, fields);
        return fields;
    }

    private void readField(Kryo kryo, InputChunked in, CachedField f, Object object) {
        Registration stored;
        try {
            stored = kryo.readClass(in);
        } catch (KryoException unknownClass) {
            if (f == null) return; // a removed field whose value's class is gone too: nothing to keep
            throw unknownClass;
        }
        if (stored == null) return; // null: the field keeps its default
        Class<?> storedType = stored.getType();
        if (f == null) {
            readRemoved(kryo, in, storedType);
            return;
        }
        Class<?> declared = f.getField().getType();
        if (Widening.box(declared) == Widening.box(storedType)
                || !declared.isPrimitive() && declared.isAssignableFrom(storedType)) {
            f.setCanBeNull(false);
            if (!declared.isPrimitive()) f.setValueClass(Widening.box(storedType));
            f.read(in, object);
            return;
        }
        Object value = kryo.readObject(in, storedType);
        Object widened = Widening.widen(value, declared);
        if (widened == null) {
            throw new SchemaMismatchException(
                    "its stored field " + getType().getSimpleName() + "." + f.getName() + " holds a "
                            + Widening.box(storedType).getName() + ", which the field's type " + declared.getTypeName()
                            + " cannot take;"
                            + " change the field's type back (or to one that takes both), or convert the stored records");
        }
        set(f.getField(), object, widened);
    }

    /** Reads a removed field's value (it may be the first occurrence of a shared reference); an unreadable one is skipped. */
    private static void readRemoved(Kryo kryo, InputChunked in, Class<?> storedType) {
        try {
            kryo.readObject(in, storedType);
        } catch (KryoException unreadable) {
            // the chunk is skipped by the caller
        }
    }

    private static void set(Field field, Object object, Object value) {
        try {
            field.setAccessible(true);
            field.set(object, value);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new KryoException("cannot set field " + field.getName() + " to a widened value: " + e, e);
        }
    }
}
