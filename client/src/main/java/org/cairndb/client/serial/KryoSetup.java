package org.cairndb.client.serial;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.serializers.CompatibleFieldSerializer.CompatibleFieldSerializerConfig;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.EnumNameSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.URL;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.cairndb.client.Persistent;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Kryo configured for Cairn records (docs/architecture.md, "Serialization pitfalls on Java 17"): classes by name, references
 * on (shared and cyclic inline values survive), instances without no-arg constructors,
 * compatible field serialization with chunked encoding for every inline class, enums by
 * name (reordering constants keeps old records right), and explicit serializers for the
 * JDK types that fail with field serialization on Java 17. Class names and field names of
 * renamed classes and fields are mapped on reading ({@link Renames}, {@link EvolvingFieldSerializer}).
 */
final class KryoSetup {
    private KryoSetup() {}

    static CompatibleFieldSerializerConfig compatibleConfig() {
        CompatibleFieldSerializerConfig c = new CompatibleFieldSerializerConfig();
        c.setChunkedEncoding(true);
        c.setReadUnknownFieldData(true);
        return c;
    }

    /** A Kryo for records ({@code codec} resolves references) or, with a null codec, for free-standing values. */
    static Kryo create(ClassLoader loader, ObjectCodec codec, Renames renames) {
        Kryo kryo = new Kryo(new RenamingClassResolver(renames), new MapReferenceResolver()) {
            @Override
            public Serializer getDefaultSerializer(Class type) {
                if (type.isSynthetic() || type.getName().contains("$$Lambda")) {
                    return new RefusingSerializer(
                            "it is a lambda or synthetic class, whose state exists only in this process");
                }
                return super.getDefaultSerializer(type);
            }
        };
        kryo.setClassLoader(loader != null ? loader : KryoSetup.class.getClassLoader());
        kryo.setRegistrationRequired(false);
        kryo.setReferences(true);
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        kryo.setDefaultSerializer(new SerializerFactory.BaseSerializerFactory<EvolvingFieldSerializer<?>>() {
            @Override
            public EvolvingFieldSerializer<?> newSerializer(Kryo k, Class type) {
                renames.learn(type);
                return new EvolvingFieldSerializer<>(k, type, renames);
            }
        });

        kryo.addDefaultSerializer(
                Persistent.class,
                codec != null
                        ? new PersistentRefSerializer(codec)
                        : new RefusingSerializer(
                                "a cached value holds data computed from persistent objects, not the objects"
                                        + " (they belong to one connection); cache their oid or the rendered value instead"));
        kryo.addDefaultSerializer(Enum.class, EnumNameSerializer.class);
        kryo.addDefaultSerializer(UUID.class, new DefaultSerializers.UUIDSerializer());
        kryo.addDefaultSerializer(URI.class, new DefaultSerializers.URISerializer());
        kryo.addDefaultSerializer(URL.class, new DefaultSerializers.URLSerializer());
        kryo.addDefaultSerializer(Pattern.class, new DefaultSerializers.PatternSerializer());
        kryo.addDefaultSerializer(AtomicLong.class, new DefaultSerializers.AtomicLongSerializer());
        kryo.addDefaultSerializer(AtomicInteger.class, new DefaultSerializers.AtomicIntegerSerializer());
        kryo.addDefaultSerializer(AtomicBoolean.class, new DefaultSerializers.AtomicBooleanSerializer());
        ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
        JdkWrapperSerializer.register(kryo);

        refuse(kryo, Thread.class, "a thread belongs to the running process");
        refuse(kryo, ThreadGroup.class, "a thread group belongs to the running process");
        refuse(kryo, ClassLoader.class, "a class loader belongs to the running process");
        refuse(kryo, InputStream.class, "a stream is an open resource; store its bytes (byte[]) instead");
        refuse(kryo, OutputStream.class, "a stream is an open resource; store its bytes (byte[]) instead");
        refuse(kryo, Reader.class, "a reader is an open resource; store its text instead");
        refuse(kryo, Writer.class, "a writer is an open resource; store its text instead");
        refuse(kryo, java.net.Socket.class, "a socket is an open resource");
        refuse(kryo, java.net.ServerSocket.class, "a socket is an open resource");
        refuse(kryo, java.nio.channels.Channel.class, "a channel is an open resource");
        refuse(
                kryo,
                org.cairndb.client.Connection.class,
                "a connection is not data; keep oids or persistent objects instead");
        refuse(kryo, org.cairndb.client.Database.class, "a database is not data");
        refuse(kryo, org.cairndb.client.TransactionManager.class, "a transaction manager is not data");
        refuse(kryo, org.cairndb.storage.Storage.class, "a storage is not data");
        refuse(kryo, Kryo.class, "a serializer is not data");
        return kryo;
    }

    private static void refuse(Kryo kryo, Class<?> type, String why) {
        kryo.addDefaultSerializer(type, new RefusingSerializer(why));
    }

    /** Class names in record bodies (inline values, references): a renamed class's old name finds the class now. */
    private static final class RenamingClassResolver extends DefaultClassResolver {
        private final Renames renames;

        RenamingClassResolver(Renames renames) {
            this.renames = renames;
        }

        @Override
        protected Class getTypeByName(String className) {
            Class<?> renamed = renames.classFor(className);
            return renamed != null ? renamed : super.getTypeByName(className);
        }
    }
}
