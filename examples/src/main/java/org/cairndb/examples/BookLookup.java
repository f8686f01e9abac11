package org.cairndb.examples;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cairndb.tasks.TaskContext;
import org.cairndb.tasks.TaskHandler;

/**
 * The demo's slow "external lookup" (the seed's Amazon call): a job per new book, enqueued in
 * the transaction that adds the book, run by a worker that stores what it found on the book.
 * The worker's write and the job's completion commit together, so a book is filled in once.
 */
public final class BookLookup {
    /** How long the pretend external service takes per call. */
    static final long SERVICE_MS = 40;

    private String bookId;

    public BookLookup() {}

    public BookLookup(String bookId) {
        this.bookId = bookId;
    }

    public String bookId() {
        return bookId;
    }

    /** The worker's handler: asks the pretend service, then writes the answer onto the book. */
    public static TaskHandler<BookLookup> handler() {
        return (BookLookup l, TaskContext ctx) -> {
            String info = externalService(l.bookId);
            Book b = Library.in(ctx.connection()).book(l.bookId);
            b.externalInfo(info);
            return info;
        };
    }

    /** A stand-in for a remote call: answers after {@link #SERVICE_MS} (a timer, as a network reply would). */
    static String externalService(String bookId) throws Exception {
        return CompletableFuture.supplyAsync(
                        () -> "list price " + (5 + Math.floorMod(bookId.hashCode(), 20)) + ".99 EUR",
                        CompletableFuture.delayedExecutor(SERVICE_MS, TimeUnit.MILLISECONDS))
                .get();
    }
}
