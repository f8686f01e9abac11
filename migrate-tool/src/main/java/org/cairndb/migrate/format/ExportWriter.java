package org.cairndb.migrate.format;

import static org.cairndb.migrate.format.ExportFormat.*;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;

/**
 * Writes Cairn's export format (see {@link ExportFormat} and docs/export-format.md): each
 * transaction becomes a frame with its own CRC32C; frames gather in a block buffer of about
 * 1 MiB that is deflated and written when full. Memory stays at a few blocks plus one
 * transaction, whatever the size of the database.
 *
 * <h2>Concurrency</h2>
 * The caller's thread encodes frames; full blocks are deflated by up to two compressor
 * threads (deflate is the slowest step, and the source storage is read meanwhile) and
 * written by the caller's thread in block order. At most three blocks are in flight: the
 * caller waits for the oldest to finish (the completion of its future, no timer) before
 * handing over another. {@link #finish} writes the end record
 * that tells a reader the file is complete; a file without it reads as truncated.
 *
 * <p>Alternatives rejected: compressing each frame on its own (small transactions of a few
 * hundred bytes barely compress alone); one deflate stream for the whole file (a damaged
 * byte would make everything after it unreadable, and errors could not name a file offset).
 * zstd or lz4 would be faster but need a native library; Deflater at level 1 keeps up with
 * the storages and ships with the JDK.
 *
 * <p>Not thread-safe.
 */
public final class ExportWriter implements AutoCloseable {
    private final OutputStream out;
    private final String target;
    private final int compression;
    private final int blockBytes;
    /** Blocks compressed at the same time, at most: enough to keep two cores busy while the source is read. */
    private static final int IN_FLIGHT = 3;

    private final ExecutorService compressors;
    private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private byte[] block;
    private int blockLength;
    private int blockFrames;
    private byte[] frame = new byte[4096];
    private long transactions;
    private long records;
    private long lastTid = Tid.ZERO;
    private long bytesWritten;
    private boolean finished;
    private FileOutputStream fileToSync;

    /**
     * @param out           where to write (buffered by the caller or not; blocks are written whole)
     * @param target        a name for messages
     * @param sourceName    the storage exported, recorded in the header
     * @param sourceLastTid its last tid when the export began, recorded in the header
     * @param compress      deflate blocks (level 1) or store them as they are
     */
    public ExportWriter(OutputStream out, String target, String sourceName, long sourceLastTid, boolean compress) {
        this(out, target, sourceName, sourceLastTid, compress, DEFAULT_BLOCK_BYTES);
    }

    ExportWriter(
            OutputStream out, String target, String sourceName, long sourceLastTid, boolean compress, int blockBytes) {
        this.out = out;
        this.target = target;
        this.compression = compress ? COMPRESSION_DEFLATE : COMPRESSION_NONE;
        this.blockBytes = blockBytes;
        this.block = new byte[Math.min(blockBytes, 1 << 20) + 64];
        this.compressors = compress
                ? Executors.newFixedThreadPool(
                        Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())), r -> {
                            Thread t = new Thread(r, "cairn-export-deflate");
                            t.setDaemon(true);
                            return t;
                        })
                : null;
        byte[] name = sourceName.getBytes(StandardCharsets.UTF_8);
        if (name.length > 0xFFFF) name = Arrays.copyOf(name, 0xFFFF);
        byte[] h = new byte[22 + name.length + 4];
        System.arraycopy(MAGIC, 0, h, 0, 8);
        putShort(h, 8, VERSION);
        h[10] = (byte) compression;
        h[11] = 0;
        putLong(h, 12, sourceLastTid);
        putShort(h, 20, name.length);
        System.arraycopy(name, 0, h, 22, name.length);
        putInt(h, 22 + name.length, crc32c(h, 0, 22 + name.length));
        write(h, 0, h.length);
    }

    /** Creates {@code file} (never overwriting one) and writes the header. */
    public static ExportWriter create(Path file, String sourceName, long sourceLastTid, boolean compress) {
        try {
            Files.createFile(file); // atomically refuses an existing file
            FileOutputStream fos = new FileOutputStream(file.toFile());
            ExportWriter w = new ExportWriter(
                    new BufferedOutputStream(fos, 1 << 16), file.toString(), sourceName, sourceLastTid, compress);
            w.fileToSync = fos;
            return w;
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(
                    "output file " + file
                            + " already exists; remove it or choose another name (export never overwrites a file)",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create export file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Appends one transaction; tids must increase. */
    public void write(TransactionRecord t) {
        if (finished) throw new IllegalStateException("export to " + target + " is already finished");
        if (Long.compareUnsigned(t.tid(), lastTid) <= 0) {
            throw new IllegalArgumentException(
                    "transaction " + Tid.hex(t.tid()) + " is not after the last one exported, " + Tid.hex(lastTid));
        }
        int len = encode(t);
        if (blockLength > 0 && blockLength + len > blockBytes) flushBlock();
        if (blockLength + len > block.length) block = Arrays.copyOf(block, blockLength + len);
        System.arraycopy(frame, 0, block, blockLength, len);
        blockLength += len;
        blockFrames++;
        transactions++;
        records += t.revisions().size();
        lastTid = t.tid();
        if (blockLength >= blockBytes) flushBlock();
    }

    /** Frame of {@code t} into {@link #frame}; returns its length. */
    private int encode(TransactionRecord t) {
        byte[] user = t.metadata().user().getBytes(StandardCharsets.UTF_8);
        byte[] desc = t.metadata().description().getBytes(StandardCharsets.UTF_8);
        byte[] ext = t.metadata().extension();
        long size = FRAME_HEADER + 8 + 1 + 4 + user.length + 4 + desc.length + 4 + ext.length + 4;
        for (Revision r : t.revisions()) {
            if (r.tid() != t.tid()) {
                throw new IllegalArgumentException("revision of oid " + r.oid() + " in transaction " + Tid.hex(t.tid())
                        + " names tid " + Tid.hex(r.tid()));
            }
            size += 17 + (r.data() == null ? 0 : 4 + r.data().length);
        }
        if (size > MAX_BLOCK_BYTES) {
            throw new IllegalArgumentException("transaction " + Tid.hex(t.tid()) + " takes " + size
                    + " bytes; one export frame holds at most " + MAX_BLOCK_BYTES);
        }
        if (frame.length < size) frame = new byte[(int) Math.max(size, frame.length * 2L)];
        int p = FRAME_HEADER;
        putLong(frame, p, t.tid());
        p += 8;
        frame[p++] = (byte) (t.packed() ? 1 : 0);
        p = putBytes(p, user);
        p = putBytes(p, desc);
        p = putBytes(p, ext);
        putInt(frame, p, t.revisions().size());
        p += 4;
        for (Revision r : t.revisions()) {
            putLong(frame, p, r.oid());
            p += 8;
            putLong(frame, p, r.dataTid());
            p += 8;
            if (r.data() == null) {
                frame[p++] = KIND_NO_DATA;
            } else {
                frame[p++] = KIND_DATA;
                p = putBytes(p, r.data());
            }
        }
        putInt(frame, 0, p - FRAME_HEADER);
        putInt(frame, 4, crc32c(frame, FRAME_HEADER, p - FRAME_HEADER));
        return p;
    }

    private int putBytes(int p, byte[] b) {
        putInt(frame, p, b.length);
        System.arraycopy(b, 0, frame, p + 4, b.length);
        return p + 4 + b.length;
    }

    /**
     * Hands the full block to a compressor thread and writes finished blocks in order. At
     * most {@link #IN_FLIGHT} blocks are being compressed at once, so memory stays bounded;
     * waiting for the oldest one is waiting on its completion, nothing else.
     */
    private void flushBlock() {
        if (blockLength == 0) return;
        byte[] raw = Arrays.copyOf(block, blockLength);
        int frames = blockFrames;
        blockLength = 0;
        blockFrames = 0;
        if (compressors == null) {
            writeBlock(encodeBlock(raw, frames, null));
            return;
        }
        while (inFlight.size() >= IN_FLIGHT) writeBlock(await(inFlight.removeFirst()));
        inFlight.addLast(compressors.submit(() -> {
            Deflater d = new Deflater(Deflater.BEST_SPEED, true);
            try {
                return encodeBlock(raw, frames, d);
            } finally {
                d.end();
            }
        }));
    }

    /** Block header and stored bytes of one block: deflated when {@code d} is given. */
    private static byte[] encodeBlock(byte[] raw, int frames, Deflater d) {
        byte[] out;
        int storedLength;
        if (d != null) {
            d.setInput(raw);
            d.finish();
            out = new byte[BLOCK_HEADER + raw.length + raw.length / 8 + 1024];
            storedLength = 0;
            while (!d.finished()) {
                if (BLOCK_HEADER + storedLength == out.length) out = Arrays.copyOf(out, out.length * 2);
                storedLength += d.deflate(out, BLOCK_HEADER + storedLength, out.length - BLOCK_HEADER - storedLength);
            }
        } else {
            out = new byte[BLOCK_HEADER + raw.length];
            System.arraycopy(raw, 0, out, BLOCK_HEADER, raw.length);
            storedLength = raw.length;
        }
        out[0] = BLOCK;
        putInt(out, 1, storedLength);
        putInt(out, 5, raw.length);
        putInt(out, 9, frames);
        putInt(out, 13, crc32c(out, BLOCK_HEADER, storedLength));
        return storedLength + BLOCK_HEADER == out.length ? out : Arrays.copyOf(out, BLOCK_HEADER + storedLength);
    }

    private void writeBlock(byte[] b) {
        write(b, 0, b.length);
    }

    private byte[] await(Future<byte[]> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "compressing a block of export file " + target + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing export file " + target, e);
        }
    }

    private void drain() {
        while (!inFlight.isEmpty()) writeBlock(await(inFlight.removeFirst()));
    }

    /** Writes the last block and the end record, and flushes. The file is complete after this. */
    public void finish() {
        if (finished) return;
        flushBlock();
        drain();
        byte[] e = new byte[END_LENGTH];
        e[0] = END;
        putLong(e, 1, transactions);
        putLong(e, 9, records);
        putLong(e, 17, lastTid);
        putInt(e, 25, crc32c(e, 0, 25));
        write(e, 0, e.length);
        try {
            out.flush();
            if (fileToSync != null) fileToSync.getFD().sync();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot flush export file " + target + ": " + ex.getMessage(), ex);
        }
        finished = true;
    }

    public long transactions() {
        return transactions;
    }

    public long records() {
        return records;
    }

    /** Bytes written to the output so far (the header and every flushed block). */
    public long bytesWritten() {
        return bytesWritten;
    }

    private void write(byte[] b, int off, int len) {
        try {
            out.write(b, off, len);
            bytesWritten += len;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write export file " + target + ": " + e.getMessage(), e);
        }
    }

    /** Closes the output. Without {@link #finish} first, the file stays incomplete and import refuses its end. */
    @Override
    public void close() {
        if (compressors != null) {
            inFlight.forEach(f -> f.cancel(false));
            compressors.shutdown();
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close export file " + target + ": " + e.getMessage(), e);
        }
    }
}
