package org.cairndb.migrate.format;

import static org.cairndb.migrate.format.ExportFormat.*;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.CorruptDataException;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;

/**
 * Reads Cairn's export format as a stream of {@link TransactionRecord}s. Before any
 * transaction of a block is handed out, the block's CRC is checked and it is inflated; each
 * frame's own CRC and structure are checked before its transaction is decoded. So a consumer
 * sees only whole, verified transactions, and a damaged or truncated file ends in a
 * {@link CorruptDataException} naming the byte offset (in the file, and inside the block's
 * uncompressed data for frame errors) and what was expected there. The end record is
 * required: a file cut at a block boundary is reported as truncated, not taken as complete.
 *
 * <p>Memory: one block (about 1 MiB raw) and one transaction. Not thread-safe.
 *
 * <p>Over 400 lines, one job: the reader of one file format ({@link ExportWriter} is its writer).
 * Block (CRC, inflate), frame (CRC, structure) and transaction decoding are the format's layers,
 * read in order, and their errors name offsets in the file and the block alike; split by layer,
 * the format would be read in several places.
 */
public final class ExportReader implements CloseableIterator<TransactionRecord> {
    private final InputStream in;
    private final String source;
    private final Inflater inflater = new Inflater(true);
    private final int compression;
    private final String sourceName;
    private final long sourceLastTid;
    private final int version;
    private long offset;
    private long blockOffset;
    private byte[] raw = new byte[0];
    private int rawLength;
    private int rawPos;
    private int framesLeft;
    private byte[] stored = new byte[0];
    private long lastTid = Tid.ZERO;
    private long transactions;
    private long records;
    private TransactionRecord next;
    private boolean ended;

    public ExportReader(InputStream in, String source) {
        this.in = in;
        this.source = source;
        byte[] h = new byte[22];
        readFully(h, 0, 22, "the 22-byte export header (magic \"CAIRNEXP\")");
        if (!Arrays.equals(Arrays.copyOf(h, 8), MAGIC)) {
            throw corrupt(0, "magic \"CAIRNEXP\" (a Cairn export file)", "bytes " + hex(h, 0, 8));
        }
        version = getShort(h, 8);
        if (version != VERSION) {
            throw corrupt(
                    8,
                    "export format version " + VERSION + " (this Cairn reads only that one)",
                    "version " + version + (version > VERSION ? "; use the Cairn release that wrote the file" : ""));
        }
        compression = h[10];
        if (compression != COMPRESSION_NONE && compression != COMPRESSION_DEFLATE) {
            throw corrupt(10, "compression 0 (none) or 1 (deflate)", "" + compression);
        }
        sourceLastTid = getLong(h, 12);
        int nameLength = getShort(h, 20);
        byte[] rest = new byte[nameLength + 4];
        readFully(rest, 0, rest.length, "the source name and header checksum");
        byte[] all = Arrays.copyOf(h, 22 + nameLength);
        System.arraycopy(rest, 0, all, 22, nameLength);
        int crc = getInt(rest, nameLength);
        if (crc != crc32c(all, 0, all.length)) {
            throw corrupt(
                    22 + nameLength,
                    "the header checksum " + String.format("%08x", crc32c(all, 0, all.length)),
                    String.format("%08x", crc));
        }
        sourceName = new String(all, 22, nameLength, StandardCharsets.UTF_8);
    }

    public static ExportReader open(Path file) {
        InputStream is = null;
        try {
            is = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            return new ExportReader(is, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read export file " + file + ": "
                            + (e instanceof java.nio.file.NoSuchFileException
                                    ? "no such file"
                                    : e instanceof java.nio.file.AccessDeniedException
                                            ? "permission denied"
                                            : e.toString()),
                    e);
        } catch (RuntimeException e) {
            if (is != null)
                try {
                    is.close();
                } catch (IOException ignored) {
                    /* already failing */
                }
            throw e;
        }
    }

    public String sourceName() {
        return sourceName;
    }

    public long sourceLastTid() {
        return sourceLastTid;
    }

    public int version() {
        return version;
    }

    /** Bytes of the file consumed so far, for progress. */
    public long position() {
        return offset;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !ended) next = readNext();
        return next != null;
    }

    @Override
    public TransactionRecord next() {
        if (!hasNext()) throw new NoSuchElementException("no more transactions in " + source);
        TransactionRecord t = next;
        next = null;
        return t;
    }

    private TransactionRecord readNext() {
        while (framesLeft == 0) {
            if (rawPos != rawLength) {
                throw corrupt(
                        blockOffset,
                        "block frames to fill its " + rawLength + " raw bytes exactly",
                        (rawLength - rawPos) + " bytes left after the last frame");
            }
            if (!readBlock()) return null;
        }
        int f = rawPos;
        if (rawLength - f < FRAME_HEADER)
            throw corruptFrame(f, "an 8-byte frame header", "only " + (rawLength - f) + " bytes left in the block");
        int len = getInt(raw, f);
        int crc = getInt(raw, f + 4);
        if (len < 0 || len > rawLength - f - FRAME_HEADER)
            throw corruptFrame(
                    f,
                    "a frame length within the block (at most " + (rawLength - f - FRAME_HEADER) + ")",
                    "" + (len & 0xFFFFFFFFL));
        int actual = crc32c(raw, f + FRAME_HEADER, len);
        if (actual != crc)
            throw corruptFrame(f + 4, String.format("frame checksum %08x", actual), String.format("%08x", crc));
        TransactionRecord t = decode(f + FRAME_HEADER, len);
        rawPos = f + FRAME_HEADER + len;
        framesLeft--;
        transactions++;
        records += t.revisions().size();
        lastTid = t.tid();
        return t;
    }

    private TransactionRecord decode(int start, int len) {
        Cursor c = new Cursor(start, start + len);
        long tid = c.long8("tid");
        if (Long.compareUnsigned(tid, lastTid) <= 0)
            throw corruptFrame(
                    start, "a tid greater than the previous transaction's " + Tid.hex(lastTid), Tid.hex(tid));
        int flags = c.byte1("flags");
        if ((flags & ~1) != 0) throw corruptFrame(c.pos - 1, "flags 0 or 1 (packed)", "" + flags);
        String user = c.text("user");
        String desc = c.text("description");
        byte[] ext = c.bytes("extension");
        int n = c.int4("revision count");
        if (n < 0 || n > (c.end - c.pos) / 17)
            throw corruptFrame(c.pos - 4, "a revision count that fits the frame", "" + (n & 0xFFFFFFFFL));
        List<Revision> revs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long oid = c.long8("oid");
            long dataTid = c.long8("data tid");
            int kind = c.byte1("revision kind");
            byte[] data;
            if (kind == KIND_DATA) data = c.bytes("record data");
            else if (kind == KIND_NO_DATA) data = null;
            else throw corruptFrame(c.pos - 1, "revision kind 0 (data) or 1 (no data)", "" + kind);
            revs.add(new Revision(oid, tid, data, dataTid));
        }
        if (c.pos != c.end)
            throw corruptFrame(
                    c.pos, "the end of the frame after " + n + " revisions", (c.end - c.pos) + " more bytes");
        return new TransactionRecord(tid, (flags & 1) != 0, new TransactionMetadata(user, desc, ext), revs);
    }

    /** Reads, checks and inflates the next block; false at a valid end record. */
    private boolean readBlock() {
        long at = offset;
        int type = readByte(
                "a block ('B') or the end record ('E') after transaction " + transactions + " (file truncated?)");
        if (type == END) {
            byte[] e = new byte[END_LENGTH];
            e[0] = END;
            readFully(e, 1, END_LENGTH - 1, "the end record");
            if (getInt(e, 25) != crc32c(e, 0, 25))
                throw corrupt(
                        at + 25,
                        String.format("end record checksum %08x", crc32c(e, 0, 25)),
                        String.format("%08x", getInt(e, 25)));
            if (getLong(e, 1) != transactions || getLong(e, 9) != records) {
                throw corrupt(
                        at,
                        "an end record counting the " + transactions + " transactions and " + records + " records read",
                        getLong(e, 1) + " transactions and " + getLong(e, 9) + " records");
            }
            try {
                if (in.read() >= 0) throw corrupt(offset, "the end of the file after the end record", "more bytes");
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot read export file " + source + ": " + ex.getMessage(), ex);
            }
            ended = true;
            return false;
        }
        if (type != BLOCK)
            throw corrupt(at, "a block ('B') or the end record ('E')", String.format("byte 0x%02x", type));
        blockOffset = at;
        byte[] h = new byte[BLOCK_HEADER];
        readFully(h, 1, BLOCK_HEADER - 1, "a block header");
        int storedLength = getInt(h, 1), rawLen = getInt(h, 5), frames = getInt(h, 9), crc = getInt(h, 13);
        if (storedLength < 0 || storedLength > MAX_BLOCK_BYTES)
            throw corrupt(at + 1, "a block length up to " + MAX_BLOCK_BYTES, "" + (storedLength & 0xFFFFFFFFL));
        if (rawLen < 0 || rawLen > MAX_BLOCK_BYTES)
            throw corrupt(at + 5, "a raw block length up to " + MAX_BLOCK_BYTES, "" + (rawLen & 0xFFFFFFFFL));
        if (frames <= 0 || frames > rawLen / FRAME_HEADER)
            throw corrupt(at + 9, "a frame count between 1 and " + rawLen / FRAME_HEADER, "" + (frames & 0xFFFFFFFFL));
        if (compression == COMPRESSION_NONE && storedLength != rawLen)
            throw corrupt(at + 1, "stored length = raw length " + rawLen + " (uncompressed file)", "" + storedLength);
        readStored(storedLength, at);
        int actual = crc32c(stored, 0, storedLength);
        if (actual != crc)
            throw corrupt(
                    at + 13,
                    String.format("block checksum %08x (of the %d bytes after the header)", actual, storedLength),
                    String.format("%08x", crc));
        if (compression == COMPRESSION_DEFLATE) {
            inflater.reset();
            inflater.setInput(stored, 0, storedLength);
            // grow the buffer as data comes out rather than trusting rawLen up front
            if (raw.length < Math.min(rawLen, 4 * storedLength + (1 << 16)))
                raw = new byte[Math.min(rawLen, 4 * storedLength + (1 << 16))];
            try {
                int n = 0;
                while (n < rawLen && !inflater.finished()) {
                    if (n == raw.length) raw = Arrays.copyOf(raw, (int) Math.min(rawLen, raw.length * 2L));
                    int k = inflater.inflate(raw, n, Math.min(rawLen, raw.length) - n);
                    if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
                    n += k;
                }
                if (n != rawLen || !inflater.finished())
                    throw corrupt(
                            at + BLOCK_HEADER,
                            "deflate data of " + rawLen + " raw bytes",
                            n + " bytes" + (inflater.finished() ? "" : " and an unfinished stream"));
            } catch (DataFormatException e) {
                throw corrupt(at + BLOCK_HEADER, "valid deflate data", "an error: " + e.getMessage());
            }
        } else {
            if (raw.length < rawLen) raw = new byte[rawLen];
            System.arraycopy(stored, 0, raw, 0, rawLen);
        }
        rawLength = rawLen;
        rawPos = 0;
        framesLeft = frames;
        return true;
    }

    /**
     * Reads a block's stored bytes, growing the buffer as bytes arrive so that a damaged
     * length field costs an error, not an allocation of gigabytes.
     */
    private void readStored(int storedLength, long blockAt) {
        int have = 0;
        while (have < storedLength) {
            int chunk = Math.min(storedLength - have, Math.max(1 << 20, have));
            if (stored.length < have + chunk) stored = Arrays.copyOf(stored, have + chunk);
            readFully(
                    stored,
                    have,
                    chunk,
                    "the " + storedLength + " bytes of the block at offset " + blockAt + " (read " + have + ")");
            have += chunk;
        }
    }

    private int readByte(String expected) {
        try {
            int b = in.read();
            if (b < 0) throw corrupt(offset, expected, "the end of the file");
            offset++;
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read export file " + source + ": " + e.getMessage(), e);
        }
    }

    private void readFully(byte[] b, int off, int len, String expected) {
        int done = 0;
        try {
            while (done < len) {
                int n = in.read(b, off + done, len - done);
                if (n < 0)
                    throw corrupt(
                            offset + done,
                            expected + " (" + len + " bytes)",
                            "the end of the file after " + done + " bytes (truncated?)");
                done += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read export file " + source + ": " + e.getMessage(), e);
        }
        offset += len;
    }

    /** Reads fields of one frame body, refusing to run past its end. */
    private final class Cursor {
        int pos;
        final int end;

        Cursor(int pos, int end) {
            this.pos = pos;
            this.end = end;
        }

        private void need(int n, String field) {
            if (end - pos < n)
                throw corruptFrame(pos, n + " bytes of " + field, "only " + (end - pos) + " bytes left in the frame");
        }

        long long8(String field) {
            need(8, field);
            long v = getLong(raw, pos);
            pos += 8;
            return v;
        }

        int int4(String field) {
            need(4, field);
            int v = getInt(raw, pos);
            pos += 4;
            return v;
        }

        int byte1(String field) {
            need(1, field);
            return raw[pos++] & 0xFF;
        }

        byte[] bytes(String field) {
            int n = int4(field + " length");
            if (n < 0 || n > end - pos)
                throw corruptFrame(
                        pos - 4,
                        "a " + field + " length within the frame (at most " + (end - pos) + ")",
                        "" + (n & 0xFFFFFFFFL));
            byte[] b = Arrays.copyOfRange(raw, pos, pos + n);
            pos += n;
            return b;
        }

        String text(String field) {
            int at = pos;
            byte[] b = bytes(field);
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b))
                        .toString();
            } catch (CharacterCodingException e) {
                throw corruptFrame(at + 4, "the " + field + " as UTF-8", "bytes that are not UTF-8");
            }
        }
    }

    private CorruptDataException corrupt(long at, String expected, String found) {
        return new CorruptDataException(
                "export file " + source + ": at byte offset " + at + ": expected " + expected + ", found " + found
                        + ". The file is damaged or incomplete; transactions before this point (" + transactions
                        + " whole transactions, last tid " + Tid.hex(lastTid) + ") were read intact.");
    }

    private CorruptDataException corruptFrame(int rawOffset, String expected, String found) {
        return new CorruptDataException("export file " + source + ": in the block at byte offset " + blockOffset
                + ", at offset " + rawOffset + " of its uncompressed data (transaction frame " + (transactions + 1)
                + "): expected " + expected
                + ", found " + found + ". The file is damaged; the " + transactions
                + " transactions before it were read intact (last tid " + Tid.hex(lastTid) + ").");
    }

    private static String hex(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < off + len; i++) sb.append(String.format("%02x", b[i] & 0xFF));
        return sb.toString();
    }

    @Override
    public void close() {
        inflater.end();
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close export file " + source, e);
        }
    }
}
