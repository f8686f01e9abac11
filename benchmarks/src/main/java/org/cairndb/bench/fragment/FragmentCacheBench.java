package org.cairndb.bench.fragment;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.FragmentCache;
import org.cairndb.client.FragmentKey;
import org.cairndb.client.TransactionManager;
import org.cairndb.examples.Author;
import org.cairndb.examples.Book;
import org.cairndb.examples.Library;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.FragmentTier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn bench fragment-cache}: the fragment cache side by side with memcached, in one run.
 *
 * <p>Part 1, latency and throughput of get and set for 1 KiB and 16 KiB values from 1 and 8
 * threads: a near-tier hit ({@code FragmentCache.get} of a cached value, no network), the
 * shared tier over cairn:// (CACHE_GET / CACHE_SET on one client connection, to a server on
 * loopback), and memcached (the Debian package's binary, started on a loopback port, driven by
 * spymemcached over one connection, binary protocol). Each operation is timed alone.
 *
 * <p>Part 2, the seed's workload: reader threads render random book pages (one transaction
 * per page: read the book and its author, build about 1 KiB of HTML) through the cache while
 * writer threads change book titles at {@code --writes-per-sec}. A render is stale when the
 * page shows an older title version than the reader's own snapshot holds. Cairn's cache and
 * memcached (look-aside, with {@code --ttl-ms}) run the same workload one after the other.
 *
 * <p>Last line: {@code RESULT name=fragment-cache near_hit_p50_us=... shared_get_p50_us=...
 * shared_get_p99_us=... memcached_get_p50_us=... memcached_get_p99_us=... stale=...
 * memcached_ttl_stale=... ...} (1 KiB, 1 thread for the headline fields), or
 * {@code memcached=absent} in place of the memcached fields when it is not installed.
 */
@Command(
        name = "fragment-cache",
        mixinStandardHelpOptions = true,
        description =
                "Fragment cache (near tier, shared tier over cairn://) against memcached; stale reads under writes.")
public final class FragmentCacheBench implements Callable<Integer> {
    @Option(
            names = "--storage",
            defaultValue = "mem:",
            description = "Backing storage URI the server serves (default mem:)")
    String storageUri;

    @Option(names = "--ops", defaultValue = "20000", description = "Network gets (and sets) per thread per case")
    int ops;

    @Option(names = "--near-ops", defaultValue = "400000", description = "Near-tier gets per thread per case")
    int nearOps;

    @Option(names = "--keys", defaultValue = "1000", description = "Distinct keys per case")
    int keys;

    @Option(names = "--books", defaultValue = "500", description = "Books in the seed workload")
    int books;

    @Option(names = "--readers", defaultValue = "4", description = "Rendering threads in the seed workload")
    int readers;

    @Option(
            names = "--renders",
            defaultValue = "20000",
            description = "Page renders (through the cache) per cache in the seed workload")
    int renders;

    @Option(
            names = "--writes-per-sec",
            defaultValue = "200",
            description = "Book title changes per second during the seed workload")
    int writesPerSec;

    @Option(
            names = "--ttl-ms",
            defaultValue = "5000",
            description = "Time to live of memcached's (and Cairn's) page values in the seed workload")
    int ttlMs;

    private final Map<String, String> result = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        System.out.println(
                "fragment-cache: server over " + storageUri + " on loopback; java " + System.getProperty("java.version")
                        + ", " + Runtime.getRuntime().availableProcessors() + " cpus, load " + loadAverage());
        File binary = Memcached.binary();
        try (CairnServer server = CairnServer.start(new ServerConfig().port(0).storage("main", storageUri));
                Memcached mc = binary == null ? null : Memcached.start(binary, 512)) {
            String uri = "cairn://127.0.0.1:" + server.port() + "/main";
            System.out.println(
                    mc == null
                            ? "memcached: absent (install the Debian package memcached to compare)"
                            : "memcached: " + binary + " on port " + mc.port + ", spymemcached binary protocol");
            try (Database db = Database.open(uri)) {
                for (int size : new int[] {1024, 16384}) {
                    for (int threads : new int[] {1, 8}) {
                        kv(db, mc, size, threads);
                    }
                }
            }
            seed(uri, mc);
        }
        StringBuilder line = new StringBuilder("RESULT name=fragment-cache");
        String[] head = {
            "near_hit_p50_us",
            "shared_get_p50_us",
            "shared_get_p99_us",
            "memcached_get_p50_us",
            "memcached_get_p99_us",
            "stale",
            "memcached_ttl_stale"
        };
        for (String k : head)
            if (result.containsKey(k)) line.append(' ').append(k).append('=').append(result.get(k));
        if (binary == null) line.append(" memcached=absent");
        for (Map.Entry<String, String> e : result.entrySet()) {
            if (!List.of(head).contains(e.getKey()))
                line.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        line.append(" load=").append(loadAverage().split(" ")[0]);
        System.out.println(line);
        return 0;
    }

    // ---- part 1: get/set latency and throughput

    private void kv(Database db, Memcached mc, int size, int threads) throws Exception {
        String value = "x".repeat(size);
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String tag = (size / 1024) + "k_t" + threads;
        boolean headline = size == 1024 && threads == 1;

        FragmentCache near = db.fragmentCache(
                "near-" + tag, FragmentCache.options().shared(false).maxBytes(1L << 30));
        for (int k = 0; k < keys; k++) near.get("k" + k, () -> value);
        run(threads, Math.min(nearOps, 100_000), i -> near.get("k" + (i % keys), () -> value)); // warm-up
        Latencies nh = run(
                threads,
                nearOps,
                i -> near.get("k" + (i % keys), () -> {
                    throw new IllegalStateException("a near hit was expected");
                }));
        System.out.println("near hit     " + tag + ": " + nh.line());
        put(headline, "near_hit_p50_us", nh.us(0.5));
        put(true, "near_hit_p99_us_" + tag, nh.us(0.99));
        put(true, "near_hit_ops_" + tag, nh.opsPerSec);

        FragmentTier tier = (FragmentTier) db.storage();
        String cache = "shared-" + tag;
        long last = db.storage().knownLastTid();
        Latencies ss = run(
                threads,
                ops,
                i -> tier.fragmentSet(cache, "k" + (i % keys), 1, bytes, new long[0], last, 0, List.of()));
        run(threads, ops / 2, i -> tier.fragmentGet(cache, "k" + (i % keys))); // warm-up
        Latencies sg = run(threads, ops, i -> {
            if (tier.fragmentGet(cache, "k" + (i % keys)) == null)
                throw new IllegalStateException("a shared hit was expected");
        });
        System.out.println("shared get   " + tag + ": " + sg.line() + "; set " + ss.line());
        put(headline, "shared_get_p50_us", sg.us(0.5));
        put(headline, "shared_get_p99_us", sg.us(0.99));
        put(!headline, "shared_get_p50_us_" + tag, sg.us(0.5));
        put(true, "shared_get_ops_" + tag, sg.opsPerSec);
        put(true, "shared_set_p50_us_" + tag, ss.us(0.5));

        if (mc == null) return;
        Latencies ms = run(
                threads,
                ops,
                i -> mc.client.set("mc-" + tag + "-" + (i % keys), 0, bytes).get());
        run(threads, ops / 2, i -> mc.client.get("mc-" + tag + "-" + (i % keys))); // warm-up
        Latencies mg = run(threads, ops, i -> {
            if (mc.client.get("mc-" + tag + "-" + (i % keys)) == null)
                throw new IllegalStateException("a memcached hit was expected");
        });
        System.out.println("memcached get " + tag + ": " + mg.line() + "; set " + ms.line());
        put(headline, "memcached_get_p50_us", mg.us(0.5));
        put(headline, "memcached_get_p99_us", mg.us(0.99));
        put(!headline, "memcached_get_p50_us_" + tag, mg.us(0.5));
        put(true, "memcached_get_ops_" + tag, mg.opsPerSec);
        put(true, "memcached_set_p50_us_" + tag, ms.us(0.5));
    }

    private void put(boolean when, String key, double v) {
        if (when) result.put(key, v >= 1000 ? String.format(java.util.Locale.ROOT, "%.0f", v) : Latencies.fmt(v));
    }

    interface Op {
        void run(int i) throws Exception;
    }

    /** {@code perThread} operations on each of {@code threads} threads, each timed. */
    private static Latencies run(int threads, int perThread, Op op) throws Exception {
        long[][] samples = new long[threads][perThread];
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long[] mine = samples[t];
                int offset = t * 7919;
                fs.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        long t0 = System.nanoTime();
                        op.run(i + offset);
                        mine[i] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            start.await();
            long t0 = System.nanoTime();
            for (Future<?> f : fs) f.get();
            return new Latencies(samples, System.nanoTime() - t0);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- part 2: the seed's workload

    private void seed(String uri, Memcached mc) throws Exception {
        try (Database writerDb = Database.open(uri);
                Database readerDb = Database.open(uri)) {
            try (Connection c = writerDb.open()) {
                Library lib = Library.in(c);
                Author a = lib.author("bench-author");
                if (a == null) a = lib.addAuthor("bench-author", "Ada Bench", 1900);
                for (int b = 0; b < books; b++) {
                    if (lib.book("bench-" + b) == null)
                        lib.addBook("bench-" + b, "Book " + b + " v0", a, LocalDate.of(2000, 1, 1));
                }
                writerDb.transactionManager().commit();
            }
            ScheduledExecutorService writers = Executors.newSingleThreadScheduledExecutor();
            AtomicLong writes = new AtomicLong();
            try {
                // the writer: a timer fires --writes-per-sec title changes a second (one connection, its own thread)
                long periodMicros = Math.max(1, 1_000_000L / Math.max(1, writesPerSec));
                ThreadLocal<Connection> wconn = ThreadLocal.withInitial(writerDb::open);
                writers.scheduleAtFixedRate(
                        () -> {
                            Connection c = wconn.get();
                            TransactionManager tm = writerDb.transactionManager();
                            try {
                                tm.run(5, () -> {
                                    Book b = Library.in(c)
                                            .book("bench-"
                                                    + ThreadLocalRandom.current()
                                                            .nextInt(books));
                                    b.title(nextVersion(b.title()));
                                });
                                writes.incrementAndGet();
                            } catch (RuntimeException e) {
                                // a retry storm or a closing database: the next tick tries again
                            }
                        },
                        0,
                        periodMicros,
                        TimeUnit.MICROSECONDS);

                FragmentCache pages = readerDb.fragmentCache(
                        "seed-pages", FragmentCache.options().ttl(Duration.ofMillis(ttlMs)));
                long w0 = writes.get();
                long[] cairn = renders(
                        readerDb,
                        (conn, book) -> pages.get(
                                FragmentKey.of("book", book),
                                () -> render(Library.in(conn).book(book))));
                FragmentCache.Stats st = pages.stats();
                System.out.println("seed, cairn fragment cache: " + renders + " pages by " + readers + " readers, "
                        + (writes.get() - w0)
                        + " title changes meanwhile; stale " + cairn[0] + ", renders " + st.loads() + " (hit rate "
                        + String.format(java.util.Locale.ROOT, "%.1f%%", 100 * st.hitRate()) + ", shared hits "
                        + st.sharedHits() + "), "
                        + String.format(java.util.Locale.ROOT, "%.0f", cairn[1] / 1e6) + " ms");
                result.put("stale", String.valueOf(cairn[0]));
                result.put("seed_renders", String.valueOf(st.loads()));
                result.put(
                        "seed_pages_per_sec", String.format(java.util.Locale.ROOT, "%.0f", renders / (cairn[1] / 1e9)));
                if (mc != null) {
                    AtomicLong mcRenders = new AtomicLong();
                    int ttlSec = Math.max(1, ttlMs / 1000);
                    long w1 = writes.get();
                    long[] memc = renders(readerDb, (conn, book) -> {
                        String key = "seed-book-" + book;
                        Object v = mc.client.get(key);
                        if (v != null) return (String) v;
                        mcRenders.incrementAndGet();
                        String html = render(Library.in(conn).book(book));
                        mc.client.set(key, ttlSec, html);
                        return html;
                    });
                    System.out.println("seed, memcached look-aside (ttl " + ttlSec + " s): stale " + memc[0]
                            + ", renders " + mcRenders + ", " + (writes.get() - w1) + " title changes meanwhile, "
                            + String.format(java.util.Locale.ROOT, "%.0f", memc[1] / 1e6) + " ms");
                    result.put("memcached_ttl_stale", String.valueOf(memc[0]));
                    result.put("memcached_renders", String.valueOf(mcRenders.get()));
                    result.put(
                            "memcached_pages_per_sec",
                            String.format(java.util.Locale.ROOT, "%.0f", renders / (memc[1] / 1e9)));
                }
            } finally {
                writers.shutdownNow();
                writers.awaitTermination(
                        30, TimeUnit.SECONDS); // the tick under way finishes before the database closes
            }
        }
    }

    interface Page {
        String get(Connection conn, String bookId) throws Exception;
    }

    /** {@code renders} pages from {@code readers} threads; returns {stale pages, elapsed ns}. */
    private long[] renders(Database db, Page page) throws Exception {
        AtomicLong stale = new AtomicLong();
        int per = Math.max(1, renders / readers);
        long t0 = System.nanoTime();
        run(readers, per, i -> {
            Connection conn = READER.get();
            if (conn == null || conn.database() != db || conn.isClosed()) {
                conn = db.open();
                READER.set(conn);
            }
            TransactionManager tm = db.transactionManager();
            tm.begin();
            try {
                String book = "bench-" + ThreadLocalRandom.current().nextInt(books);
                String html = page.get(conn, book);
                int shown = version(html);
                int current = version(Library.in(conn).book(book).title()); // what this reader's snapshot holds
                if (shown < current) stale.incrementAndGet();
            } finally {
                tm.abort();
            }
        });
        return new long[] {stale.get(), System.nanoTime() - t0};
    }

    private static final ThreadLocal<Connection> READER = new ThreadLocal<>();

    static String render(Book b) {
        StringBuilder html = new StringBuilder(1200);
        html.append("<article class=\"book\"><h1>")
                .append(b.title())
                .append("</h1><p class=\"by\">by ")
                .append(b.author().name())
                .append("</p><p class=\"published\">")
                .append(b.published())
                .append("</p>");
        while (html.length() < 1000) html.append("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>");
        return html.append("</article>").toString();
    }

    static String nextVersion(String title) {
        int at = title.lastIndexOf(" v");
        return title.substring(0, at) + " v" + (Integer.parseInt(title.substring(at + 2)) + 1);
    }

    /** The version in a title or page: the number after the last " v" before "</h1>" (or at the end). */
    static int version(String s) {
        int end = s.indexOf("</h1>");
        if (end < 0) end = s.length();
        int at = s.lastIndexOf(" v", end);
        return Integer.parseInt(s.substring(at + 2, end));
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
