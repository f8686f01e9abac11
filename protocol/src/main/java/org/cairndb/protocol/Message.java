package org.cairndb.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;

/**
 * One record per request op, and per push (INVALIDATE, RING): the payload layout of each
 * message, its encoding ({@link #write}) and its decoding ({@link #decode}), in one place that
 * the client and the server both use. docs/protocol.md describes the same layouts for readers
 * of other languages; {@code MessageRoundTripTest} checks every op of {@link Op} has a record
 * here that survives a round trip, and {@code WireLayoutTest} pins the bytes.
 *
 * <p>RESULT and ERROR are not here: an ERROR is {@link ErrorCodec}'s, and a RESULT's payload
 * is the answer to its request (docs/protocol.md, column "RESULT payload"): HELLO's is
 * {@link HelloAnswer}, the storage values in answers are {@link Messages}', the other answers
 * (single numbers and arrays) are still written and read where they are asked and answered.
 *
 * <p>Decoding reads the fields in wire order with {@link PayloadReader}, so a malformed
 * payload is refused with the op, the byte offset and what was expected, and trailing bytes
 * are refused ({@link PayloadReader#end}). Records holding arrays compare them by reference
 * (as records do); compare encodings to compare messages.
 *
 * <p>Over 400 lines by design: one small record per message, with its encoding and decoding side
 * by side, so a layout is changed in one place and read against docs/protocol.md at a glance.
 * Split by group of ops, a reader would have to look in several files to see the whole protocol.
 */
public sealed interface Message {

    /** What this message is on the wire. */
    Op op();

    /** Appends this message's payload to {@code w}. */
    void write(PayloadWriter w);

    /** This message's payload, in a writer of its own. */
    default PayloadWriter payload() {
        PayloadWriter w = new PayloadWriter(64);
        write(w);
        return w;
    }

    /** This message as a frame with {@code requestId}. */
    default Frame frame(int requestId) {
        return payload().frame(requestId, op());
    }

    /**
     * The message a frame holds: its whole payload read as its op defines it. Throws
     * ProtocolException for a malformed payload, or for RESULT and ERROR, which are answers
     * (read by the request that awaits them).
     */
    static Message decode(Frame f) {
        PayloadReader r = f.reader();
        Message m = switch (f.op()) {
            case HELLO -> Hello.read(r);
            case LOAD -> new Load(r.i64());
            case LOAD_BEFORE -> new LoadBefore(r.i64(), r.i64());
            case LOAD_SERIAL -> new LoadSerial(r.i64(), r.i64());
            case NEW_OIDS -> new NewOids(r.i32());
            case LAST_TID -> new LastTid();
            case BEGIN -> new Begin(r.i64(), Messages.readMetadata(r));
            case STORE -> new Store(r.i64(), r.i64(), r.i64(), r.bytes());
            case DELETE -> new Delete(r.i64(), r.i64(), r.i64());
            case CHECK_CURRENT -> new CheckCurrent(r.i64(), r.i64(), r.i64());
            case UNDO -> new Undo(r.i64(), r.i64());
            case VOTE -> new Vote(r.i64());
            case FINISH -> new Finish(r.i64());
            case ABORT -> new Abort(r.i64());
            case ITERATE -> new Iterate(r.i64(), r.i64());
            case ITERATE_NEXT -> new IterateNext(r.i32());
            case ITERATE_CLOSE -> new IterateClose(r.i32());
            case HISTORY -> new History(r.i64(), r.i32());
            case PACK -> new Pack(r.i64());
            case RESTORE -> new Restore(Messages.readTransaction(r));
            case OBJECT_COUNT -> new ObjectCount();
            case SIZE_IN_BYTES -> new SizeInBytes();
            case STATUS -> new Status(r.bool());
            case PING -> new Ping();
            case OPEN_VIEW -> new OpenView(r.i64());
            case VIEW_LOAD -> new ViewLoad(r.i64(), r.i64());
            case VIEW_SYNC -> new ViewSync(r.i64());
            case VIEW_CLOSE -> new ViewClose(r.i64());
            case VOTE_TOKEN -> new VoteToken(r.i64(), r.i64(), r.i64());
            case OUTCOME -> Outcome.read(r);
            case DOORBELL_OPEN -> new DoorbellOpen();
            case DOORBELL -> Doorbell.read(r);
            case RESTORE_BATCH -> RestoreBatch.read(r);
            case CACHE_GET -> new CacheGet(r.str(), r.str());
            case CACHE_SET -> CacheSet.read(r);
            case CACHE_INVALIDATE -> new CacheInvalidate(r.str(), r.u8(), r.str());
            case INVALIDATE -> new Invalidate(r.i64(), r.longs());
            case RING -> new Ring(r.i64());
            case RESULT, ERROR ->
                throw new ProtocolException(
                        f.op() + " is an answer, not a message of its own (request id " + f.requestId() + ")");
        };
        r.end();
        return m;
    }

    /** The magic, then the version: HELLO and DOORBELL start so; the version is judged by the receiver. */
    private static int greeting(PayloadReader r, Op op) {
        int magic = r.i32();
        if (magic != Protocol.MAGIC) {
            throw new ProtocolException(op + " does not start with the magic 'CAIR' (got 0x"
                    + Integer.toHexString(magic) + "): not a Cairn client?");
        }
        return r.i32();
    }

    // ---- handshake

    /** {@code magic:i32 version:i32 storage:str secret:str readOnly:bool lastTid:i64}; storage "" is an admin connection. */
    record Hello(int version, String storage, String secret, boolean readOnly, long lastTid) implements Message {
        public Op op() {
            return Op.HELLO;
        }

        public void write(PayloadWriter w) {
            w.i32(Protocol.MAGIC)
                    .i32(version)
                    .str(storage)
                    .str(secret)
                    .bool(readOnly)
                    .i64(lastTid);
        }

        static Hello read(PayloadReader r) {
            return new Hello(greeting(r, Op.HELLO), r.str(), r.str(), r.bool(), r.i64());
        }
    }

    /** {@code magic:i32 version:i32 tokenHi:i64 tokenLo:i64}: the first frame of a doorbell connection. */
    record Doorbell(int version, long tokenHi, long tokenLo) implements Message {
        public Op op() {
            return Op.DOORBELL;
        }

        public void write(PayloadWriter w) {
            w.i32(Protocol.MAGIC).i32(version).i64(tokenHi).i64(tokenLo);
        }

        static Doorbell read(PayloadReader r) {
            return new Doorbell(greeting(r, Op.DOORBELL), r.i64(), r.i64());
        }
    }

    /** No payload: asks for this connection's doorbell token. */
    record DoorbellOpen() implements Message {
        public Op op() {
            return Op.DOORBELL_OPEN;
        }

        public void write(PayloadWriter w) {}
    }

    record Ping() implements Message {
        public Op op() {
            return Op.PING;
        }

        public void write(PayloadWriter w) {}
    }

    record Status(boolean prometheus) implements Message {
        public Op op() {
            return Op.STATUS;
        }

        public void write(PayloadWriter w) {
            w.bool(prometheus);
        }
    }

    // ---- reads

    record Load(long oid) implements Message {
        public Op op() {
            return Op.LOAD;
        }

        public void write(PayloadWriter w) {
            w.i64(oid);
        }
    }

    record LoadBefore(long oid, long beforeTid) implements Message {
        public Op op() {
            return Op.LOAD_BEFORE;
        }

        public void write(PayloadWriter w) {
            w.i64(oid).i64(beforeTid);
        }
    }

    record LoadSerial(long oid, long tid) implements Message {
        public Op op() {
            return Op.LOAD_SERIAL;
        }

        public void write(PayloadWriter w) {
            w.i64(oid).i64(tid);
        }
    }

    record NewOids(int count) implements Message {
        public Op op() {
            return Op.NEW_OIDS;
        }

        public void write(PayloadWriter w) {
            w.i32(count);
        }
    }

    record LastTid() implements Message {
        public Op op() {
            return Op.LAST_TID;
        }

        public void write(PayloadWriter w) {}
    }

    record ObjectCount() implements Message {
        public Op op() {
            return Op.OBJECT_COUNT;
        }

        public void write(PayloadWriter w) {}
    }

    record SizeInBytes() implements Message {
        public Op op() {
            return Op.SIZE_IN_BYTES;
        }

        public void write(PayloadWriter w) {}
    }

    record History(long oid, int max) implements Message {
        public Op op() {
            return Op.HISTORY;
        }

        public void write(PayloadWriter w) {
            w.i64(oid).i32(max);
        }
    }

    /** Iterates {@code fromTid..toTid} inclusive; the cursor id is this request's id. */
    record Iterate(long fromTid, long toTid) implements Message {
        public Op op() {
            return Op.ITERATE;
        }

        public void write(PayloadWriter w) {
            w.i64(fromTid).i64(toTid);
        }
    }

    record IterateNext(int cursor) implements Message {
        public Op op() {
            return Op.ITERATE_NEXT;
        }

        public void write(PayloadWriter w) {
            w.i32(cursor);
        }
    }

    record IterateClose(int cursor) implements Message {
        public Op op() {
            return Op.ITERATE_CLOSE;
        }

        public void write(PayloadWriter w) {
            w.i32(cursor);
        }
    }

    // ---- views

    record OpenView(long viewId) implements Message {
        public Op op() {
            return Op.OPEN_VIEW;
        }

        public void write(PayloadWriter w) {
            w.i64(viewId);
        }
    }

    record ViewLoad(long viewId, long oid) implements Message {
        public Op op() {
            return Op.VIEW_LOAD;
        }

        public void write(PayloadWriter w) {
            w.i64(viewId).i64(oid);
        }
    }

    record ViewSync(long viewId) implements Message {
        public Op op() {
            return Op.VIEW_SYNC;
        }

        public void write(PayloadWriter w) {
            w.i64(viewId);
        }
    }

    record ViewClose(long viewId) implements Message {
        public Op op() {
            return Op.VIEW_CLOSE;
        }

        public void write(PayloadWriter w) {
            w.i64(viewId);
        }
    }

    // ---- writes outside a transaction

    record Pack(long beforeTid) implements Message {
        public Op op() {
            return Op.PACK;
        }

        public void write(PayloadWriter w) {
            w.i64(beforeTid);
        }
    }

    record Restore(TransactionRecord txn) implements Message {
        public Op op() {
            return Op.RESTORE;
        }

        public void write(PayloadWriter w) {
            Messages.writeTransaction(w, txn);
        }
    }

    /** {@code n:i32} then n × {@code Txn}: whole transactions, increasing tids. */
    record RestoreBatch(List<TransactionRecord> txns) implements Message {
        public Op op() {
            return Op.RESTORE_BATCH;
        }

        public void write(PayloadWriter w) {
            w.i32(txns.size());
            for (TransactionRecord t : txns) Messages.writeTransaction(w, t);
        }

        static RestoreBatch read(PayloadReader r) {
            int n = r.i32();
            if (n < 0) throw new ProtocolException("RESTORE_BATCH with a negative transaction count " + n);
            List<TransactionRecord> batch = new ArrayList<>(Math.min(n, 4096));
            for (int i = 0; i < n; i++) batch.add(Messages.readTransaction(r));
            return new RestoreBatch(batch);
        }
    }

    // ---- a transaction (txnId: the client's, unique per connection while open)

    record Begin(long txnId, TransactionMetadata metadata) implements Message {
        public Op op() {
            return Op.BEGIN;
        }

        public void write(PayloadWriter w) {
            Messages.writeMetadata(w.i64(txnId), metadata);
        }
    }

    /** Null data deletes. */
    record Store(long txnId, long oid, long readTid, byte[] data) implements Message {
        public Op op() {
            return Op.STORE;
        }

        public void write(PayloadWriter w) {
            w.i64(txnId).i64(oid).i64(readTid).bytes(data);
        }
    }

    record Delete(long txnId, long oid, long readTid) implements Message {
        public Op op() {
            return Op.DELETE;
        }

        public void write(PayloadWriter w) {
            w.i64(txnId).i64(oid).i64(readTid);
        }
    }

    record CheckCurrent(long txnId, long oid, long readTid) implements Message {
        public Op op() {
            return Op.CHECK_CURRENT;
        }

        public void write(PayloadWriter w) {
            w.i64(txnId).i64(oid).i64(readTid);
        }
    }

    record Undo(long txnId, long tid) implements Message {
        public Op op() {
            return Op.UNDO;
        }

        public void write(PayloadWriter w) {
            w.i64(txnId).i64(tid);
        }
    }

    record Vote(long txnId) implements Message {
        public Op op() {
            return Op.VOTE;
        }

        public void write(PayloadWriter w) {
            w.i64(txnId);
        }
    }

    /** VOTE with a 128-bit token by which {@link Outcome} can ask later whether it committed. */
    record VoteToken(long txnId, long tokenHi, long tokenLo) implements Message {
        public Op op() {
            return Op.VOTE_TOKEN;
        }

        public void write(PayloadWriter w) {
            w.i64(txnId).i64(tokenHi).i64(tokenLo);
        }
    }

    record Finish(long txnId) implements Message {
        public Op op() {
            return Op.FINISH;
        }

        public void write(PayloadWriter w) {
            w.i64(txnId);
        }
    }

    record Abort(long txnId) implements Message {
        public Op op() {
            return Op.ABORT;
        }

        public void write(PayloadWriter w) {
            w.i64(txnId);
        }
    }

    /**
     * {@code tokenHi:i64 tokenLo:i64 voteTid:i64 n:i32} then n × {@code (oid:i64 fingerprint:i64)};
     * {@code written} null (n = -1) when the client cannot say what the transaction wrote.
     */
    record Outcome(long tokenHi, long tokenLo, long voteTid, Map<Long, Long> written) implements Message {
        public Op op() {
            return Op.OUTCOME;
        }

        public void write(PayloadWriter w) {
            w.i64(tokenHi).i64(tokenLo).i64(voteTid);
            if (written == null) {
                w.i32(-1);
                return;
            }
            w.i32(written.size());
            for (Map.Entry<Long, Long> e : written.entrySet()) w.i64(e.getKey()).i64(e.getValue());
        }

        static Outcome read(PayloadReader r) {
            long hi = r.i64();
            long lo = r.i64();
            long voteTid = r.i64();
            int n = r.i32();
            Map<Long, Long> written = null;
            if (n >= 0) {
                if (n > r.remaining() / 16)
                    throw new ProtocolException("OUTCOME payload: " + n + " written records announced but only "
                            + r.remaining() + " bytes remain (16 per record: oid, fingerprint)");
                written = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) written.put(r.i64(), r.i64());
            }
            return new Outcome(hi, lo, voteTid, written);
        }
    }

    // ---- the shared fragment tier

    /** {@code cache:str key:str}; RESULT {@code found:bool}, then if found {@code validTid:i64 kind:u8 value:bytes deps:i64[]}. */
    record CacheGet(String cache, String key) implements Message {
        public Op op() {
            return Op.CACHE_GET;
        }

        public void write(PayloadWriter w) {
            w.str(cache).str(key);
        }
    }

    /**
     * {@code cache:str key:str kind:u8 value:bytes snapshotTid:i64 deps:i64[] ttlMillis:i64 n:i32} then n ×
     * {@code tag:str}; RESULT {@code stored:bool} (false: a commit after the snapshot changed a dependency).
     */
    record CacheSet(
            String cache,
            String key,
            int kind,
            byte[] value,
            long snapshotTid,
            long[] deps,
            long ttlMillis,
            List<String> tags)
            implements Message {
        public Op op() {
            return Op.CACHE_SET;
        }

        public void write(PayloadWriter w) {
            w.str(cache)
                    .str(key)
                    .u8(kind)
                    .bytes(value)
                    .i64(snapshotTid)
                    .longs(deps)
                    .i64(ttlMillis)
                    .i32(tags.size());
            for (String t : tags) w.str(t);
        }

        static CacheSet read(PayloadReader r) {
            String cache = r.str();
            String key = r.str();
            int kind = r.u8();
            byte[] value = r.bytes();
            long snapshot = r.i64();
            long[] deps = r.longs();
            long ttl = r.i64();
            int n = r.i32();
            if (n < 0 || n > r.remaining() / 4) {
                throw new ProtocolException(
                        "CACHE_SET payload: " + n + " tags announced but only " + r.remaining() + " bytes remain");
            }
            List<String> tags = new ArrayList<>(n);
            for (int i = 0; i < n; i++) tags.add(r.str());
            return new CacheSet(cache, key, kind, value, snapshot, deps, ttl, tags);
        }
    }

    /** {@code cache:str scope:u8 name:str}: scope 0 a key, 1 a tag, 2 the whole cache (name ignored); RESULT empty. */
    record CacheInvalidate(String cache, int scope, String name) implements Message {
        public Op op() {
            return Op.CACHE_INVALIDATE;
        }

        public void write(PayloadWriter w) {
            w.str(cache).u8(scope).str(name);
        }
    }

    // ---- server pushes (request id 0)

    /** {@code tid:i64 oids:i64[]}: these objects changed in the commit {@code tid}. */
    record Invalidate(long tid, long[] oids) implements Message {
        public Op op() {
            return Op.INVALIDATE;
        }

        public void write(PayloadWriter w) {
            w.i64(tid).longs(oids);
        }
    }

    /** On a doorbell connection: frames with request id 0 written on the main connection so far. */
    record Ring(long pushes) implements Message {
        public Op op() {
            return Op.RING;
        }

        public void write(PayloadWriter w) {
            w.i64(pushes);
        }
    }
}
