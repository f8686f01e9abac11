package org.cairndb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RecordHeaderTest {

    private static final byte[] BODY = "body bytes".getBytes(StandardCharsets.UTF_8);

    @Test
    void truncatedReference_errorNamesWhichReference() {
        // the label of a reference is built only when it fails (a parse per load allocated it for every reference)
        byte[] record = new RecordHeader("com.example.Book", new long[] {5, 300}).encode(new byte[0]);
        byte[] cut = Arrays.copyOf(record, record.length - 1); // ends inside the second reference's varint
        assertThatThrownBy(() -> RecordHeader.parse(cut))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("of reference 1 at offset");
    }

    @Test
    void encodeParse_roundTrip() {
        RecordHeader h = new RecordHeader("com.example.Book", new long[] {0, 1, 127, 128, 300, -1L, Long.MIN_VALUE});
        byte[] record = h.encode(BODY);
        RecordHeader.Parsed p = RecordHeader.parse(record);
        assertThat(p.header()).isEqualTo(h);
        assertThat(Arrays.copyOfRange(record, p.bodyOffset(), record.length)).isEqualTo(BODY);
        assertThat(RecordHeader.body(record)).isEqualTo(BODY);
        assertThat(RecordHeader.classNameOf(record)).isEqualTo("com.example.Book");
        assertThat(RecordHeader.referencesOf(record)).containsExactly(0, 1, 127, 128, 300, -1L, Long.MIN_VALUE);
    }

    @Test
    void layout_matchesTheDocumentedBytes() {
        byte[] r = new RecordHeader("A", new long[] {300}).encode(new byte[] {9});
        // magic C3 43 52 4E, version 1, name length 1, 'A', 1 reference, 300 = AC 02, body 09
        assertThat(r).containsExactly(0xC3, 'C', 'R', 'N', 1, 1, 'A', 1, 0xAC, 0x02, 9);
    }

    @Test
    void foreignRecords_recognised() {
        byte[] pickle = {(byte) 0x80, 3, 'c', 'x', '.'};
        assertThat(RecordHeader.isCairnRecord(pickle)).isFalse();
        assertThat(RecordHeader.classNameOf(pickle)).isNull();
        assertThat(RecordHeader.referencesOf(pickle)).isNull();
        assertThat(RecordHeader.isCairnRecord(null)).isFalse();
        assertThat(RecordHeader.isCairnRecord(new byte[] {(byte) 0xC3, 'C'})).isFalse();
        assertThatThrownBy(() -> RecordHeader.parse(pickle))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("offset 0")
                .hasMessageContaining("80 03 63 78")
                .hasMessageContaining("foreign");
        assertThatThrownBy(() -> RecordHeader.parse(new byte[0])).hasMessageContaining("empty record");
        assertThatThrownBy(() -> RecordHeader.parse(null)).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void truncatedAtEveryOffset_corruptDataNamingTheOffset() {
        byte[] record = new RecordHeader("org.example.Thing", new long[] {5, 70_000, -1L}).encode(new byte[0]);
        for (int len = 0; len < record.length; len++) {
            byte[] cut = Arrays.copyOf(record, len);
            int at = len;
            assertThatThrownBy(() -> RecordHeader.parse(cut))
                    .as("truncated to %s bytes", at)
                    .isInstanceOf(CorruptDataException.class)
                    .hasMessageContaining(len < 4 ? "offset 0" : "offset");
            if (len >= 4) {
                assertThatThrownBy(() -> RecordHeader.parse(cut))
                        .as("truncated to %s bytes", at)
                        .satisfies(e -> assertThat(e.getMessage()).matches("(?s).*offset \\d+.*"));
            }
        }
        assertThat(RecordHeader.parse(record).header().className()).isEqualTo("org.example.Thing");
    }

    @Test
    void corruptByteAtEveryOffset_neverAnUncheckedSurprise() {
        byte[] record = new RecordHeader("org.example.Thing", new long[] {5, 70_000}).encode(BODY);
        for (int i = 0; i < record.length; i++) {
            for (int v : new int[] {0x00, 0xFF, 0x80, 0x7F}) {
                byte[] bad = record.clone();
                bad[i] = (byte) v;
                try {
                    RecordHeader.parse(bad);
                } catch (CorruptDataException e) {
                    assertThat(e.getMessage()).contains("offset");
                }
            }
        }
    }

    @Test
    void unsupportedVersion_saysWhichAndWhatToDo() {
        byte[] r = new RecordHeader("A", new long[0]).encode(BODY);
        r[4] = 9;
        assertThatThrownBy(() -> RecordHeader.parse(r))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("format version 9")
                .hasMessageContaining("offset 4")
                .hasMessageContaining("upgrade");
    }

    @Test
    void overlongVarint_refused() {
        byte[] r = {
            (byte) 0xC3,
            'C',
            'R',
            'N',
            1,
            1,
            'A',
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            1
        };
        assertThatThrownBy(() -> RecordHeader.parse(r))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("offset 7")
                .hasMessageMatching("(?s).*64.bit.*");
        byte[] eleven = {
            (byte) 0xC3,
            'C',
            'R',
            'N',
            1,
            1,
            'A',
            (byte) 0x80,
            (byte) 0x80,
            (byte) 0x80,
            (byte) 0x80,
            (byte) 0x80,
            (byte) 0x80,
            (byte) 0x80,
            (byte) 0x80,
            (byte) 0x80,
            (byte) 0x81,
            1
        };
        assertThatThrownBy(() -> RecordHeader.parse(eleven))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("offset 7")
                .hasMessageContaining("10 bytes");
    }

    @Test
    void varintOverflowing64Bits_refused() {
        // one reference whose varint has a 10th byte of 0x7F: bits beyond 64 would be lost silently
        byte[] r = {
            (byte) 0xC3,
            'C',
            'R',
            'N',
            1,
            1,
            'A',
            1,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            0x7F
        };
        assertThatThrownBy(() -> RecordHeader.parse(r))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("offset 8")
                .hasMessageContaining("overflows 64 bits");
        // while -1 (all 64 bits set) ends with 0x01 and parses
        byte[] ok = r.clone();
        ok[ok.length - 1] = 0x01;
        assertThat(RecordHeader.parse(ok).header().references()).containsExactly(-1L);
    }

    @Test
    void hugeReferenceCount_refusedBeforeAllocating() {
        byte[] r = {(byte) 0xC3, 'C', 'R', 'N', 1, 1, 'A', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
        assertThatThrownBy(() -> RecordHeader.parse(r))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("reference count")
                .hasMessageContaining("offset 7");
    }

    @Test
    void badClassNames_refused() {
        assertThatThrownBy(() -> new RecordHeader("", new long[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecordHeader(null, new long[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecordHeader("x".repeat(70_000), new long[0]).encode(BODY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65535");
        byte[] zeroLength = {(byte) 0xC3, 'C', 'R', 'N', 1, 0, 0};
        assertThatThrownBy(() -> RecordHeader.parse(zeroLength))
                .hasMessageContaining("class name length 0")
                .hasMessageContaining("offset 5");
    }

    @Test
    void nullReferences_meansNone() {
        assertThat(new RecordHeader("A", null).references()).isEmpty();
    }

    @Property(tries = 300)
    void roundTrip_anyHeaderAndBody(@ForAll("classNames") String className, @ForAll long[] refs, @ForAll byte[] body) {
        RecordHeader h = new RecordHeader(className, refs);
        byte[] record = h.encode(body);
        RecordHeader.Parsed p = RecordHeader.parse(record);
        assertThat(p.header()).isEqualTo(h);
        assertThat(Arrays.copyOfRange(record, p.bodyOffset(), record.length)).isEqualTo(body);
    }

    /** Any bytes after the magic either parse or fail with CorruptDataException, nothing else. */
    @Property(tries = 500)
    void parse_randomBytesAfterMagic_onlyCorruptData(@ForAll byte[] tail) {
        byte[] r = new byte[4 + tail.length];
        r[0] = (byte) 0xC3;
        r[1] = 'C';
        r[2] = 'R';
        r[3] = 'N';
        System.arraycopy(tail, 0, r, 4, tail.length);
        try {
            RecordHeader.Parsed p = RecordHeader.parse(r);
            assertThat(p.bodyOffset()).isBetween(4, r.length);
        } catch (CorruptDataException expected) {
            assertThat(expected.getMessage()).contains("offset");
        }
    }

    @Provide
    Arbitrary<String> classNames() {
        return Arbitraries.strings()
                .all()
                .ofMinLength(1)
                .ofMaxLength(200)
                .filter(s -> s.getBytes(StandardCharsets.UTF_8).length <= 65535)
                .filter(s -> s.equals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)));
    }
}
