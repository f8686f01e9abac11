package org.cairndb.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.cairndb.storage.Revision;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;

/**
 * Every message survives encode → frame bytes → decode, and the decoded message encodes to the
 * same bytes. {@link #everyOpHasAMessage} fails when an op is added to {@link Op} without a
 * record in {@link Message} and a generator here.
 */
class MessageRoundTripTest {

    /** Answers, not messages: ERROR is ErrorCodec's; a RESULT's payload is typed by the request it answers. */
    private static final Set<Op> ANSWERS = EnumSet.of(Op.RESULT, Op.ERROR);

    @Property(tries = 2000)
    void everyMessageRoundTrips(@ForAll("messages") Message m) throws Exception {
        byte[] wire = wire(m.frame(42));
        Frame f = new FrameReader(new java.io.ByteArrayInputStream(wire), Protocol.DEFAULT_MAX_FRAME).read();
        assertThat(f.requestId()).isEqualTo(42);
        assertThat(f.op()).isEqualTo(m.op());
        Message back = Message.decode(f);
        assertThat(back).usingRecursiveComparison().isEqualTo(m);
        assertThat(wire(back.frame(42))).isEqualTo(wire);
    }

    @Example
    void everyOpHasAMessage() {
        Map<Op, Arbitrary<? extends Message>> byOp = generators();
        for (Op op : Op.values()) {
            if (ANSWERS.contains(op)) continue;
            assertThat(byOp)
                    .as("op " + op + " has no Message record with a round-trip generator in this test")
                    .containsKey(op);
            Message sample = byOp.get(op).sample();
            assertThat(sample.op()).as("generator of " + op).isEqualTo(op);
            assertThat(Message.decode(sample.frame(1)).op()).isEqualTo(op);
        }
    }

    @Property(tries = 300)
    void helloAnswerRoundTrips(
            @ForAll int version,
            @ForAll("names") String name,
            @ForAll int caps,
            @ForAll long lastTid,
            @ForAll boolean all,
            @ForAll long[] oids,
            @ForAll boolean readOnly) {
        HelloAnswer a = new HelloAnswer(version, name, caps, lastTid, all, oids, readOnly);
        assertThat(HelloAnswer.read(a.frame(5))).usingRecursiveComparison().isEqualTo(a);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings()
                .withCharRange('\u0000', '\uD7FF')
                .ofMaxLength(20)
                .injectNull(0.1);
    }

    @Example
    void errorRoundTripsThroughErrorCodec() {
        Frame f = ErrorCodec.encode(9, ErrorCodec.MISUSE, "calls out of order");
        assertThat(ErrorCodec.decode(f, "test")).hasMessageContaining("calls out of order");
    }

    private static byte[] wire(Frame f) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        FrameCodec.write(f, out);
        return out.toByteArray();
    }

    @Provide
    Arbitrary<Message> messages() {
        List<Arbitrary<? extends Message>> all = new ArrayList<>(generators().values());
        @SuppressWarnings({"unchecked", "rawtypes"})
        Arbitrary<Message> any = Arbitraries.oneOf((List) all);
        return any;
    }

    private static Map<Op, Arbitrary<? extends Message>> generators() {
        Arbitrary<Long> l = Arbitraries.longs();
        Arbitrary<Integer> i = Arbitraries.integers();
        Arbitrary<Boolean> b = Arbitraries.of(true, false);
        Arbitrary<String> s =
                Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(20);
        Arbitrary<String> sn = s.injectNull(0.2);
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<long[]> longs = Arbitraries.longs().array(long[].class).ofMaxSize(20);
        Arbitrary<TransactionMetadata> meta = Combinators.combine(s, s, bytes).as(TransactionMetadata::new);
        Arbitrary<Revision> rev =
                Combinators.combine(l, l, bytes.injectNull(0.3), l).as(Revision::new);
        Arbitrary<TransactionRecord> txn =
                Combinators.combine(l, b, meta, rev.list().ofMaxSize(5)).as(TransactionRecord::new);
        Arbitrary<Map<Long, Long>> written = Arbitraries.maps(l, l)
                .ofMaxSize(10)
                .map(m -> (Map<Long, Long>) new LinkedHashMap<>(m))
                .injectNull(0.2);

        Map<Op, Arbitrary<? extends Message>> g = new EnumMap<>(Op.class);
        g.put(Op.HELLO, Combinators.combine(i, sn, sn, b, l).as(Message.Hello::new));
        g.put(Op.LOAD, l.map(Message.Load::new));
        g.put(Op.LOAD_BEFORE, Combinators.combine(l, l).as(Message.LoadBefore::new));
        g.put(Op.LOAD_SERIAL, Combinators.combine(l, l).as(Message.LoadSerial::new));
        g.put(Op.NEW_OIDS, i.map(Message.NewOids::new));
        g.put(Op.LAST_TID, Arbitraries.just(new Message.LastTid()));
        g.put(Op.BEGIN, Combinators.combine(l, meta).as(Message.Begin::new));
        g.put(Op.STORE, Combinators.combine(l, l, l, bytes.injectNull(0.2)).as(Message.Store::new));
        g.put(Op.DELETE, Combinators.combine(l, l, l).as(Message.Delete::new));
        g.put(Op.CHECK_CURRENT, Combinators.combine(l, l, l).as(Message.CheckCurrent::new));
        g.put(Op.UNDO, Combinators.combine(l, l).as(Message.Undo::new));
        g.put(Op.VOTE, l.map(Message.Vote::new));
        g.put(Op.FINISH, l.map(Message.Finish::new));
        g.put(Op.ABORT, l.map(Message.Abort::new));
        g.put(Op.ITERATE, Combinators.combine(l, l).as(Message.Iterate::new));
        g.put(Op.ITERATE_NEXT, i.map(Message.IterateNext::new));
        g.put(Op.ITERATE_CLOSE, i.map(Message.IterateClose::new));
        g.put(Op.HISTORY, Combinators.combine(l, i).as(Message.History::new));
        g.put(Op.PACK, l.map(Message.Pack::new));
        g.put(Op.RESTORE, txn.map(Message.Restore::new));
        g.put(Op.OBJECT_COUNT, Arbitraries.just(new Message.ObjectCount()));
        g.put(Op.SIZE_IN_BYTES, Arbitraries.just(new Message.SizeInBytes()));
        g.put(Op.STATUS, b.map(Message.Status::new));
        g.put(Op.PING, Arbitraries.just(new Message.Ping()));
        g.put(Op.OPEN_VIEW, l.map(Message.OpenView::new));
        g.put(Op.VIEW_LOAD, Combinators.combine(l, l).as(Message.ViewLoad::new));
        g.put(Op.VIEW_SYNC, l.map(Message.ViewSync::new));
        g.put(Op.VIEW_CLOSE, l.map(Message.ViewClose::new));
        g.put(Op.VOTE_TOKEN, Combinators.combine(l, l, l).as(Message.VoteToken::new));
        g.put(Op.OUTCOME, Combinators.combine(l, l, l, written).as(Message.Outcome::new));
        g.put(Op.DOORBELL_OPEN, Arbitraries.just(new Message.DoorbellOpen()));
        g.put(Op.DOORBELL, Combinators.combine(i, l, l).as(Message.Doorbell::new));
        g.put(Op.RESTORE_BATCH, txn.list().ofMaxSize(4).map(Message.RestoreBatch::new));
        g.put(Op.CACHE_GET, Combinators.combine(s, s).as(Message.CacheGet::new));
        g.put(
                Op.CACHE_SET,
                Combinators.combine(
                                s,
                                s,
                                Arbitraries.integers().between(0, 255),
                                bytes,
                                l,
                                longs,
                                l,
                                s.list().ofMaxSize(4))
                        .as(Message.CacheSet::new));
        g.put(
                Op.CACHE_INVALIDATE,
                Combinators.combine(s, Arbitraries.integers().between(0, 2), s).as(Message.CacheInvalidate::new));
        g.put(Op.INVALIDATE, Combinators.combine(l, longs).as(Message.Invalidate::new));
        g.put(Op.RING, l.map(Message.Ring::new));
        return g;
    }
}
