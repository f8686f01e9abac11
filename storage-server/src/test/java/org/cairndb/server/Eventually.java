package org.cairndb.server;

import java.util.function.BooleanSupplier;

/** Waits for a condition the server reaches on its own (a timer fired, a peer was dropped), with a deadline that fails the test. */
final class Eventually {
    private Eventually() {}

    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 60 s: " + what);
            Thread.sleep(20);
        }
    }
}
