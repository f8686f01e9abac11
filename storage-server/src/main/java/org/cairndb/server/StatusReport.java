package org.cairndb.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import org.cairndb.protocol.Op;
import org.cairndb.storage.Storage;
import org.cairndb.storage.Tid;
import org.cairndb.storage.spi.CommitLock;
import org.cairndb.storage.spi.StatusSection;

/** The figures of {@code cairn status}: as text for people, and as Prometheus text exposition. */
final class StatusReport {
    private StatusReport() {}

    /** Sections of libraries on the class path (e.g. the task queue's), found once. */
    private static final List<StatusSection> SECTIONS =
            ServiceLoader.load(StatusSection.class, StatusReport.class.getClassLoader()).stream()
                    .map(ServiceLoader.Provider::get)
                    .toList();

    private static String section(StatusSection sec, java.util.function.Supplier<String> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            return "  " + sec.getClass().getSimpleName() + " failed: " + e + "\n";
        }
    }

    static String text(CairnServer s) {
        StringBuilder sb = new StringBuilder();
        ServerStats st = s.stats;
        long up = (System.currentTimeMillis() - s.startedAtMillis) / 1000;
        sb.append("cairn server: up ")
                .append(up)
                .append(" s, ")
                .append(st.clients.get())
                .append(" connected clients, ")
                .append(st.connectionsAccepted.sum())
                .append(" connections accepted, ")
                .append(st.protocolErrors.sum())
                .append(" protocol errors, ")
                .append(st.authFailures.sum())
                .append(" refused logins, ")
                .append(st.slowPeersDropped.sum())
                .append(" clients dropped for not reading\n");
        for (ServedStorage ss : s.storages().values()) {
            sb.append("\nstorage '")
                    .append(ss.name)
                    .append("' (")
                    .append(ss.storage.name())
                    .append(")\n");
            sb.append("  last tid ")
                    .append(Tid.describe(ss.lastPublished()))
                    .append(", ")
                    .append(ss.commits.sum())
                    .append(" commits served\n");
            CommitLock.Stats ls = ss.lockStats();
            if (ls != null) {
                sb.append(String.format(
                        Locale.ROOT,
                        "  commit lock: %s, queue %d, %d acquisitions, wait avg %.1f us, max %.1f us%n",
                        ls.held() ? "held" : "free",
                        ls.queueLength(),
                        ls.acquisitions(),
                        ls.acquisitions() == 0 ? 0.0 : ls.totalWaitNanos() / 1e3 / ls.acquisitions(),
                        ls.maxWaitNanos() / 1e3));
            }
            sb.append("  commit queue (votes waiting their turn in this server): ")
                    .append(ss.commitQueue.queueLength())
                    .append('\n');
            sb.append(String.format(
                    Locale.ROOT,
                    "  votes in progress (waiting for or holding the commit lock): %d; vote time p50 %.1f us, p99 %.1f us%n",
                    ss.votesInProgress.get(),
                    ss.voteLatency.percentile(0.5) / 1e3,
                    ss.voteLatency.percentile(0.99) / 1e3));
            sb.append("  clients:\n");
            for (Session c : ss.sessions())
                sb.append("    ").append(c.describe()).append('\n');
            for (StatusSection sec : SECTIONS) sb.append(section(sec, () -> sec.text(ss.name, ss.storage)));
        }
        sb.append("\nrequests (count, latency from frame in to answer out):\n");
        sb.append(String.format(
                Locale.ROOT, "  %-14s %10s %10s %10s %10s%n", "op", "count", "p50 us", "p99 us", "p999 us"));
        for (Map.Entry<Op, LatencyHistogram> e : st.latency.entrySet()) {
            long n = st.counts.get(e.getKey()).sum();
            if (n == 0) continue;
            LatencyHistogram h = e.getValue();
            sb.append(String.format(
                    Locale.ROOT,
                    "  %-14s %10d %10.1f %10.1f %10.1f%n",
                    e.getKey(),
                    n,
                    h.percentile(0.5) / 1e3,
                    h.percentile(0.99) / 1e3,
                    h.percentile(0.999) / 1e3));
        }
        return sb.toString();
    }

    static String prometheus(CairnServer s) {
        StringBuilder sb = new StringBuilder();
        ServerStats st = s.stats;
        gauge(sb, "cairn_clients", "Connected clients", st.clients.get());
        counter(sb, "cairn_connections_total", "Connections accepted", st.connectionsAccepted.sum());
        counter(sb, "cairn_protocol_errors_total", "Connections closed for a protocol error", st.protocolErrors.sum());
        counter(sb, "cairn_auth_failures_total", "Refused logins", st.authFailures.sum());
        counter(
                sb,
                "cairn_slow_clients_dropped_total",
                "Clients disconnected for not reading what was queued for them",
                st.slowPeersDropped.sum());
        counter(sb, "cairn_invalidations_pushed_total", "Invalidation frames pushed", st.invalidationsPushed.sum());
        sb.append("# HELP cairn_requests_total Requests by op\n# TYPE cairn_requests_total counter\n");
        for (Map.Entry<Op, java.util.concurrent.atomic.LongAdder> e : st.counts.entrySet()) {
            sb.append("cairn_requests_total{op=\"")
                    .append(e.getKey().name().toLowerCase(Locale.ROOT))
                    .append("\"} ")
                    .append(e.getValue().sum())
                    .append('\n');
        }
        sb.append(
                "# HELP cairn_request_latency_seconds Request latency quantiles by op\n# TYPE cairn_request_latency_seconds summary\n");
        for (Map.Entry<Op, LatencyHistogram> e : st.latency.entrySet()) {
            long n = st.counts.get(e.getKey()).sum();
            if (n == 0) continue;
            String op = e.getKey().name().toLowerCase(Locale.ROOT);
            for (double q : new double[] {0.5, 0.99, 0.999}) {
                sb.append("cairn_request_latency_seconds{op=\"")
                        .append(op)
                        .append("\",quantile=\"")
                        .append(q)
                        .append("\"} ")
                        .append(e.getValue().percentile(q) / 1e9)
                        .append('\n');
            }
        }
        sb.append(
                "# HELP cairn_commit_queue Votes waiting for or holding the commit lock\n# TYPE cairn_commit_queue gauge\n");
        for (ServedStorage ss : s.storages().values()) {
            CommitLock.Stats ls = ss.lockStats();
            int q = ss.commitQueue.queueLength()
                    + (ls != null ? ls.queueLength() : Math.max(0, ss.votesInProgress.get() - 1));
            sb.append("cairn_commit_queue{storage=\"")
                    .append(ss.name)
                    .append("\"} ")
                    .append(q)
                    .append('\n');
        }
        sb.append(
                "# HELP cairn_commit_lock_wait_seconds_total Total time spent waiting for the commit lock\n# TYPE cairn_commit_lock_wait_seconds_total counter\n");
        for (ServedStorage ss : s.storages().values()) {
            CommitLock.Stats ls = ss.lockStats();
            if (ls != null)
                sb.append("cairn_commit_lock_wait_seconds_total{storage=\"")
                        .append(ss.name)
                        .append("\"} ")
                        .append(ls.totalWaitNanos() / 1e9)
                        .append('\n');
        }
        sb.append("# HELP cairn_commits_total Commits served\n# TYPE cairn_commits_total counter\n");
        for (ServedStorage ss : s.storages().values()) {
            sb.append("cairn_commits_total{storage=\"")
                    .append(ss.name)
                    .append("\"} ")
                    .append(ss.commits.sum())
                    .append('\n');
        }
        if (!SECTIONS.isEmpty()) {
            Map<String, Storage> storages = new LinkedHashMap<>();
            for (ServedStorage ss : s.storages().values()) storages.put(ss.name, ss.storage);
            for (StatusSection sec : SECTIONS) {
                String part = section(sec, () -> sec.prometheus(storages));
                sb.append(part.startsWith("  ") ? "# " + part.trim() + "\n" : part);
            }
        }
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ")
                .append(name)
                .append(' ')
                .append(help)
                .append("\n# TYPE ")
                .append(name)
                .append(" gauge\n")
                .append(name)
                .append(' ')
                .append(v)
                .append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ")
                .append(name)
                .append(' ')
                .append(help)
                .append("\n# TYPE ")
                .append(name)
                .append(" counter\n")
                .append(name)
                .append(' ')
                .append(v)
                .append('\n');
    }
}
