package org.cairndb.server;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.cairndb.protocol.Op;

/** Per-op request counts and latencies (frame in → answer written), and connection counts. */
final class ServerStats {
    final Map<Op, LatencyHistogram> latency = new EnumMap<>(Op.class);
    final Map<Op, LongAdder> counts = new EnumMap<>(Op.class);
    final AtomicInteger clients = new AtomicInteger();
    final LongAdder connectionsAccepted = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    final LongAdder authFailures = new LongAdder();
    final LongAdder invalidationsPushed = new LongAdder();
    /** Clients disconnected because they did not read what was queued for them (see OutboundGuard). */
    final LongAdder slowPeersDropped = new LongAdder();
    /** Connections refused at a connection limit. */
    final LongAdder connectionsRefused = new LongAdder();
    /** Voted transactions aborted because FINISH did not come in time (--vote-timeout). */
    final LongAdder voteDeadlinesExpired = new LongAdder();
    /** Logins judged late because their address had failed before (LoginThrottle). */
    final LongAdder loginsDelayed = new LongAdder();

    ServerStats() {
        for (Op op : Op.values()) {
            if (op.isRequest()) {
                latency.put(op, new LatencyHistogram());
                counts.put(op, new LongAdder());
            }
        }
    }

    void record(Op op, long startNanos) {
        counts.get(op).increment();
        latency.get(op).record(System.nanoTime() - startNanos);
    }

    void count(Op op) {
        counts.get(op).increment();
    }
}
