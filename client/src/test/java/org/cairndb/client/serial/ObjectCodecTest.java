package org.cairndb.client.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.cairndb.client.MissingClassException;
import org.cairndb.client.Persistent;
import org.cairndb.client.UnserializableException;
import org.cairndb.storage.RecordHeader;
import org.junit.jupiter.api.Test;

class ObjectCodecTest {
    final ObjectCodec codec = new ObjectCodec(getClass().getClassLoader());

    /** Fake references: persistent objects get oids 100, 101... and come back as fresh instances. */
    static final class Refs implements References {
        final Map<Persistent, Long> oids = new java.util.IdentityHashMap<>();
        final Map<Long, Persistent> byOid = new HashMap<>();

        @Override
        public long oidOf(Persistent target) {
            return oids.computeIfAbsent(target, t -> 100L + oids.size());
        }

        @Override
        public Persistent resolve(long oid, Class<? extends Persistent> type) {
            return byOid.computeIfAbsent(oid, o -> new ObjectCodec(getClass().getClassLoader()).newInstance(type));
        }
    }

    public record Point(int x, int y) {}

    public enum Color {
        RED,
        GREEN
    }

    public static class Rich extends Persistent {
        Point point = new Point(1, 2);
        Color color = Color.GREEN;
        LocalDate date = LocalDate.of(2026, 11, 26);
        ZonedDateTime zoned = ZonedDateTime.parse("2026-11-26T20:00:00+01:00[Europe/Berlin]");
        Duration duration = Duration.ofMillis(1500);
        List<String> list = new ArrayList<>(List.of("a", "b"));
        List<Integer> immutable = List.of(1, 2, 3);
        Set<String> set = Set.of("s");
        Map<String, Integer> map = new TreeMap<>(Map.of("k", 1));
        int[] ints = {1, 2, 3};
        String[][] grid = {{"a"}, {"b", "c"}};
        UUID uuid = new UUID(1, 2);
        URI uri = URI.create("cairn://host:8100/main");
        BigDecimal money = new BigDecimal("12.50");
        Rich other;
        List<Rich> others = new ArrayList<>();
        transient String notStored = "x";
        List<String> unmodifiable = java.util.Collections.unmodifiableList(new ArrayList<>(List.of("u")));
        Map<String, Integer> synced = java.util.Collections.synchronizedMap(new HashMap<>(Map.of("s", 2)));
    }

    @Test
    void encode_roundTripsValueTypes() {
        Rich r = new Rich();
        Rich ref = new Rich();
        r.other = ref;
        r.others.add(ref);
        Refs refs = new Refs();
        byte[] rec = codec.encode(r, refs);
        RecordHeader.Parsed h = RecordHeader.parse(rec);
        assertThat(h.header().className()).isEqualTo(Rich.class.getName());
        assertThat(h.header().references()).containsExactly(100L);

        Rich back = codec.newInstance(Rich.class);
        codec.decodeInto(back, rec, h.bodyOffset(), refs);
        assertThat(back.point).isEqualTo(new Point(1, 2));
        assertThat(back.color).isEqualTo(Color.GREEN);
        assertThat(back.date).isEqualTo(r.date);
        assertThat(back.zoned).isEqualTo(r.zoned);
        assertThat(back.duration).isEqualTo(r.duration);
        assertThat(back.list).containsExactly("a", "b");
        assertThat(back.immutable).containsExactly(1, 2, 3);
        assertThat(back.set).containsExactly("s");
        assertThat(back.map).containsEntry("k", 1);
        assertThat(back.ints).containsExactly(1, 2, 3);
        assertThat(back.grid[1]).containsExactly("b", "c");
        assertThat(back.uuid).isEqualTo(r.uuid);
        assertThat(back.uri).isEqualTo(r.uri);
        assertThat(back.money).isEqualTo(r.money);
        assertThat(back.notStored).isNull();
        assertThat(back.unmodifiable).containsExactly("u");
        assertThat(back.synced).containsEntry("s", 2);
        assertThat(back.other).isNotNull().isSameAs(back.others.get(0)).isSameAs(refs.byOid.get(100L));
    }

    public static class V1 extends Persistent {
        String kept = "k";
        int dropped = 7;
    }

    public static class V2 extends Persistent {
        String kept;
        List<String> added = new ArrayList<>();
    }

    @Test
    void decode_classEvolution_addedAndRemovedFieldsKeepOldRecordsReadable() {
        byte[] v1 = codec.encode(new V1(), new Refs());
        V2 into = codec.newInstance(V2.class);
        codec.decodeInto(into, v1, RecordHeader.parse(v1).bodyOffset(), new Refs());
        assertThat(into.kept).isEqualTo("k");
        assertThat(into.added).isNull(); // no constructor ran: a missing field keeps the JVM default

        byte[] v2 = codec.encode(new V2(), new Refs());
        V1 back = codec.newInstance(V1.class);
        codec.decodeInto(back, v2, RecordHeader.parse(v2).bodyOffset(), new Refs());
        assertThat(back.dropped).isZero();
    }

    public static class Holder {
        Object stream = new ByteArrayInputStream(new byte[1]);
    }

    public static class WithBadField extends Persistent {
        String fine = "ok";
        Holder cover = new Holder();
    }

    @Test
    void encode_unserializableField_namesFieldPath() {
        assertThatThrownBy(() -> codec.encode(new WithBadField(), new Refs()))
                .isInstanceOf(UnserializableException.class)
                .hasMessageContaining("WithBadField.cover -> Holder.stream")
                .hasMessageContaining("ByteArrayInputStream");
    }

    public static class WithLambda extends Persistent {
        Runnable action = () -> {};
    }

    @Test
    void encode_lambdaField_refusedWithFieldName() {
        assertThatThrownBy(() -> codec.encode(new WithLambda(), new Refs()))
                .isInstanceOf(UnserializableException.class)
                .hasMessageContaining("WithLambda.action")
                .hasMessageContaining("lambda");
    }

    @Test
    void persistentClass_missing_namesClassAndOid() {
        assertThatThrownBy(() -> codec.persistentClass("com.example.Gone", 0x2a))
                .isInstanceOf(MissingClassException.class)
                .hasMessageContaining("com.example.Gone")
                .hasMessageContaining("0x2a");
    }
}
