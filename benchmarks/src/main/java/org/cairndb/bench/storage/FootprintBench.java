package org.cairndb.bench.storage;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn bench footprint --records 1000000}: puts that many records of 200 bytes into
 * {@code mem:} (sized for them), 1000 per transaction, and reports the JVM heap in use after
 * {@code System.gc()} (MemoryMXBean) before and after, and the storage's off-heap bytes
 * ({@code Storage.sizeInBytes()}: the memory the map's structures and records fill, or the
 * allocated disk of {@code mem:/path}'s files). The point: the heap does not grow with the number of objects.
 *
 * <p>Last line: {@code RESULT name=footprint records=... heap_mb=... heap_growth_mb=... offheap_mb=... uri=...}
 * ({@code heap_mb}: heap used after GC with the storage full; {@code heap_growth_mb}: minus the
 * heap used after GC with the storage open and empty).
 */
@Command(
        name = "footprint",
        mixinStandardHelpOptions = true,
        description =
                "Fills mem: with N records of 200 bytes; reports heap after GC and off-heap size; last line RESULT name=footprint ...")
public final class FootprintBench implements Callable<Integer> {

    @Option(names = "--records", defaultValue = "1000000", description = "records to put (default ${DEFAULT-VALUE})")
    long records;

    @Option(
            names = "--size",
            defaultValue = "200",
            description = "bytes per record, header included (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--uri", description = "storage URI (default: mem: sized for the records)")
    String uri;

    @Override
    public Integer call() {
        if (records < 1 || size < 40) {
            System.err.println(
                    "footprint bench: need --records >= 1 and --size >= 40 (got " + records + ", " + size + ")");
            return 2;
        }
        String u = uri != null ? uri : "mem:?entries=" + (records + records / 10 + 1000) + "&avgValueSize=" + size;
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        try (Storage s = Storages.open(u)) {
            long empty = heapAfterGc(mem);
            long start = System.nanoTime();
            long[] oids = s.newOids((int) Math.min(Integer.MAX_VALUE, records));
            byte[] body = new byte
                    [size - new RecordHeader("org.cairndb.bench.storage.Rec", new long[0]).encode(new byte[0]).length];
            for (int from = 0; from < oids.length; from += 1000) {
                StorageTransaction t = s.begin(TransactionMetadata.of("bench", "footprint"));
                for (int i = from; i < Math.min(oids.length, from + 1000); i++) {
                    body[0] = (byte) i;
                    t.store(
                            oids[i],
                            Tid.ZERO,
                            new RecordHeader("org.cairndb.bench.storage.Rec", new long[0]).encode(body));
                }
                t.vote();
                t.finish();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            oids = null;
            long full = heapAfterGc(mem);
            long offHeap = s.sizeInBytes();
            System.out.printf(
                    Locale.ROOT,
                    "%s: %d records of %d bytes in %.1f s (%.0f records/s), %d objects%n",
                    s.name(),
                    records,
                    size,
                    secs,
                    records / secs,
                    s.objectCount());
            System.out.printf(
                    Locale.ROOT,
                    "heap after GC: empty %.1f MB, full %.1f MB; off-heap %.1f MB%n",
                    mb(empty),
                    mb(full),
                    mb(offHeap));
            System.out.println(String.format(
                    Locale.ROOT,
                    "RESULT name=footprint records=%d heap_mb=%.1f heap_growth_mb=%.1f offheap_mb=%.1f uri=%s",
                    records,
                    mb(full),
                    mb(full - empty),
                    mb(offHeap),
                    u));
            return 0;
        }
    }

    private static long heapAfterGc(MemoryMXBean mem) {
        for (int i = 0; i < 3; i++) System.gc();
        return mem.getHeapMemoryUsage().getUsed();
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
