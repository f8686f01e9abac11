package org.cairndb.client.remote;

import java.util.concurrent.CompletableFuture;
import org.cairndb.protocol.Frame;

/** A request waiting for its answer: completed by the event loop when the answer arrives, or failed on disconnect/close. */
final class Pending extends CompletableFuture<Frame> {
    final LoadWatch watch;

    Pending(LoadWatch watch) {
        this.watch = watch;
    }
}
