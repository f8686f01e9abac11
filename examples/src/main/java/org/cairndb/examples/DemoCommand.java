package org.cairndb.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.tasks.QueueConfig;
import org.cairndb.tasks.TaskHandle;
import org.cairndb.tasks.TaskQueue;
import org.cairndb.tasks.Worker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn demo}: the lovely-books example application. On the embedded default (a
 * persisted {@code mem:} file under the working directory) it creates or opens the
 * database, adds a batch of authors, books, users and reviews, counts book views from
 * several threads at once (each view its own transaction, retried on conflict by
 * {@code TransactionManager.run}), and prints what it finds. The transaction that adds the
 * books also enqueues a slow "external lookup" job per new book ({@link BookLookup}) and
 * returns at once; a worker then fills the books in, one call at a time. Run again, it opens the same
 * data and the counts grow. Last line:
 * {@code RESULT name=demo books=... reviews=... views=... elapsed_ms=...}.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Runs the lovely-books example application (creates or opens its database and adds to it).")
public final class DemoCommand implements Callable<Integer> {
    static final String[] TAGS = {"classic", "sci-fi", "mystery", "romance", "poetry", "history", "kids", "fantasy"};
    static final String[] WORDS = {
        "Silent", "River", "Glass", "Winter", "Garden", "Stone", "Paper", "Moon", "Harbor", "Ash", "Lantern", "Orchard",
        "Copper", "Meadow", "Thunder", "Velvet"
    };

    @Option(names = "--uri", description = "storage URI (default: mem: persisted in ./cairn-data/demo.cairn)")
    String uri;

    @Option(names = "--threads", defaultValue = "4", description = "threads counting views (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--views", defaultValue = "2000", description = "views to count in all (default: ${DEFAULT-VALUE})")
    int views;

    @Option(
            names = "--books",
            defaultValue = "25",
            description = "books to add in this run (default: ${DEFAULT-VALUE})")
    int booksPerRun;

    public DemoCommand() {}

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        String target = uri;
        if (target == null) {
            Path file = Path.of("cairn-data", "demo.cairn").toAbsolutePath();
            Files.createDirectories(file.getParent());
            // sized for the demo (Chronicle Map reserves the whole file up front: the default
            // sizing, for a million objects, would take ~700 MB of disk for a few hundred)
            target = "mem:" + file + "?entries=20000";
        }
        System.out.println("lovely-books on " + org.cairndb.storage.uri.Secrets.mask(target));
        try (Database db = Database.open(target)) {
            TransactionManager tm = db.transactionManager();
            long[] before = new long[3];
            // one queue for the slow external service, serial so the service never sees two calls at once
            TaskQueue lookups = TaskQueue.of(db, "lookups");
            lookups.configure(QueueConfig.defaults().serial(true));
            List<TaskHandle> jobs = new ArrayList<>();
            long requestMs;
            try (Connection conn = db.open()) {
                long r0 = System.nanoTime();
                tm.run(5, () -> {
                    jobs.clear();
                    Library lib = Library.in(conn);
                    before[0] = lib.bookCount();
                    before[1] = lib.reviewCount();
                    before[2] = lib.totalViews();
                    int run = (int) lib.bookCount(); // ids start at the book count: unique per run
                    addBatch(lib, run, booksPerRun);
                    // the request enqueues a lookup per new book in its own transaction, and returns at once
                    for (int i = 0; i < booksPerRun; i++) jobs.add(lookups.submit(new BookLookup("b" + run + "-" + i)));
                });
                requestMs = (System.nanoTime() - r0) / 1_000_000;
                System.out.printf(
                        "found %d books, %d reviews, %d views; added %d books and their reviews%n",
                        before[0], before[1], before[2], booksPerRun);
            }
            System.out.printf(
                    "the request returned in %d ms with %d external lookups queued (each takes the service %d ms)%n",
                    requestMs, jobs.size(), BookLookup.SERVICE_MS);
            long l0 = System.nanoTime();
            try (Worker w = lookups.worker(BookLookup.handler()).threads(2).start()) {
                String last = null;
                for (TaskHandle h : jobs) last = h.await(Duration.ofMinutes(5));
                System.out.printf(
                        "a worker filled in the %d lookups %d ms later, one at a time (serial queue), e.g. \"%s\"%n",
                        jobs.size(), (System.nanoTime() - l0) / 1_000_000, last);
            }
            lookups.close();
            long t0 = System.nanoTime();
            long retries = countViews(db, threads, views);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "counted %d views from %d threads in %.2f s (%.0f commits/s, %d conflicts retried, none reached the app)%n",
                    views, threads, secs, views / secs, retries);
            Pages.Report pages = Pages.serve(db, 2000, 50);
            System.out.printf(
                    "served pages (book, author, personalised header) through the fragment cache: %d fragments, %d rendered"
                            + " (hit rate %.1f%%) in %.1f ms; the hits saved about %.1f ms at that mean render time; a review every 50"
                            + " requests forgot its book's pages%n",
                    pages.fragments(),
                    pages.rendered(),
                    100 * pages.hitRate(),
                    pages.renderMillis(),
                    pages.savedMillis());
            long books, reviews, totalViews;
            try (Connection conn = db.open()) {
                Library lib = Library.in(conn);
                books = lib.bookCount();
                reviews = lib.reviewCount();
                totalViews = lib.totalViews();
                System.out.println("most viewed books of all time:");
                for (Map.Entry<Book, Long> e : lib.mostViewed(Instant.EPOCH, Instant.MAX, 5)) {
                    Book b = e.getKey();
                    System.out.printf(
                            "  %6d views  %-28s by %-18s %.1f stars from %d reviews%n",
                            e.getValue(),
                            b.title(),
                            b.author().name(),
                            b.rating(),
                            b.reviews().size());
                }
                List<Book> classics = lib.booksTagged("classic");
                System.out.printf(
                        "%d books tagged 'classic', e.g. %s%n",
                        classics.size(),
                        classics.isEmpty() ? "-" : classics.get(0).title());
                System.out.printf(
                        "%d reviews written in the last hour%n",
                        lib.reviewsBetween(
                                        Instant.now().minusSeconds(3600),
                                        Instant.now().plusSeconds(1))
                                .size());
                tm.abort();
            }
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            System.out.printf(
                    "database now holds %d books, %d reviews, %d views (%d objects)%n",
                    books, reviews, totalViews, db.storage().objectCount());
            System.out.println("RESULT name=demo books=" + books + " reviews=" + reviews + " views=" + totalViews
                    + " elapsed_ms=" + elapsed);
        }
        return 0;
    }

    /** Adds authors, books, users and reviews for run number {@code run}. */
    static void addBatch(Library lib, int run, int count) {
        Random rnd = new Random(run * 7919L + 1);
        Instant now = Instant.now();
        List<Author> authors = new ArrayList<>();
        for (int i = 0; i < Math.max(1, count / 5); i++) {
            String id = "a" + run + "-" + i;
            authors.add(lib.addAuthor(
                    id,
                    WORDS[rnd.nextInt(WORDS.length)] + " " + WORDS[rnd.nextInt(WORDS.length)] + "son",
                    1900 + rnd.nextInt(100)));
        }
        List<User> users = new ArrayList<>();
        for (int i = 0; i < Math.max(1, count / 2); i++) {
            String name = "reader" + run + "-" + i;
            users.add(lib.addUser(name, name + "@example.org", now));
        }
        for (int i = 0; i < count; i++) {
            String title = "The " + WORDS[rnd.nextInt(WORDS.length)] + " " + WORDS[rnd.nextInt(WORDS.length)];
            Book b = lib.addBook(
                    "b" + run + "-" + i,
                    title,
                    authors.get(rnd.nextInt(authors.size())),
                    LocalDate.of(1950 + rnd.nextInt(75), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28)),
                    TAGS[rnd.nextInt(TAGS.length)],
                    TAGS[rnd.nextInt(TAGS.length)]);
            for (int r = 0; r < 2; r++) {
                lib.review(
                        users.get(rnd.nextInt(users.size())),
                        b,
                        1 + rnd.nextInt(5),
                        "A " + WORDS[rnd.nextInt(WORDS.length)].toLowerCase() + " read.",
                        now.plusNanos(i * 10L + r));
            }
        }
    }

    /** Every thread counts views of random books, one transaction per view. Returns the retries. */
    static long countViews(Database db, int threads, int total) throws Exception {
        TransactionManager tm = db.transactionManager();
        long retriesBefore = tm.retryCount();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier go = new CyclicBarrier(threads);
        AtomicLong left = new AtomicLong(total);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            futures.add(pool.submit(() -> {
                try (Connection conn = db.open()) {
                    Library lib = Library.in(conn);
                    List<String> ids = new ArrayList<>();
                    for (String id : lib.bookIds()) ids.add(id);
                    tm.abort();
                    Random rnd = new Random(seed);
                    go.await();
                    while (left.getAndDecrement() > 0) {
                        // a long tail: a few books get most of the views
                        String id =
                                ids.get((int) Math.min(ids.size() - 1, Math.abs(rnd.nextGaussian()) * ids.size() / 8));
                        tm.run(50, () -> lib.view(id, Instant.now(), 1));
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdown();
        }
        return tm.retryCount() - retriesBefore;
    }
}
