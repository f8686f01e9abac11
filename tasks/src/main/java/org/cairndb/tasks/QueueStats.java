package org.cairndb.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.cairndb.client.collections.PersistentMap;

/**
 * A queue's numbers as of one snapshot, for {@code cairn status}, {@code cairn tasks list}
 * and metrics: jobs pending (ready and later), running, succeeded, dead, cancelled; live
 * workers; and the start latency (submit or due time to first start) and run time of the
 * most recent 1,000 finished jobs, p50 and p99 in milliseconds.
 */
public record QueueStats(
        String queue,
        boolean exists,
        int ready,
        int delayed,
        int running,
        int succeeded,
        int dead,
        int cancelled,
        int workers,
        long startP50Ms,
        long startP99Ms,
        long runP50Ms,
        long runP99Ms) {

    static QueueStats of(String name, QueueState q, long now) {
        if (q == null) return new QueueStats(name, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        int ready = 0, delayed = 0, running = 0, ok = 0, dead = 0, cancelled = 0, workers = 0;
        for (PersistentMap<Long, Job> m : q.liveShards()) {
            for (Job j : m.values()) {
                if (j.state() == TaskState.RUNNING) running++;
                else if (j.dueAt() <= now) ready++;
                else delayed++;
            }
        }
        List<long[]> recent = new ArrayList<>();
        for (PersistentMap<Long, Job> m : q.doneShards()) {
            for (Job j : m.values()) {
                TaskStatus s = j.status();
                switch (s.state()) {
                    case SUCCEEDED -> ok++;
                    case DEAD -> dead++;
                    default -> cancelled++;
                }
                if (s.startedAt() > 0)
                    recent.add(new long[] {
                        s.finishedAt(),
                        s.startedAt() - Math.max(s.createdAt(), s.dueAt()),
                        s.finishedAt() - s.startedAt()
                    });
            }
        }
        for (WorkerLease w : q.workers().values()) if (w.alive(now)) workers++;
        recent.sort((a, b) -> Long.compare(b[0], a[0]));
        if (recent.size() > 1000) recent = recent.subList(0, 1000);
        List<Long> start = new ArrayList<>(), run = new ArrayList<>();
        for (long[] r : recent) {
            start.add(Math.max(0, r[1]));
            run.add(Math.max(0, r[2]));
        }
        Collections.sort(start);
        Collections.sort(run);
        return new QueueStats(
                name,
                true,
                ready,
                delayed,
                running,
                ok,
                dead,
                cancelled,
                workers,
                pct(start, 50),
                pct(start, 99),
                pct(run, 50),
                pct(run, 99));
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) return 0;
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** One line: {@code amazon: ready=3 delayed=0 running=1 succeeded=120 dead=2 cancelled=0 workers=4 start_p50_ms=1 ...}. */
    public String line() {
        if (!exists) return queue + ": no such queue";
        return queue + ": ready=" + ready + " delayed=" + delayed + " running=" + running + " succeeded=" + succeeded
                + " dead=" + dead
                + " cancelled=" + cancelled + " workers=" + workers + " start_p50_ms=" + startP50Ms + " start_p99_ms="
                + startP99Ms
                + " run_p50_ms=" + runP50Ms + " run_p99_ms=" + runP99Ms;
    }

    /** The numbers in Prometheus' text exposition format, labelled with the queue's name. */
    public String prometheus() {
        return prometheus(java.util.List.of(java.util.Map.entry(this, "")));
    }

    private static final String[][] FAMILIES = {
        {"cairn_tasks_ready", "Jobs ready to run now"},
        {"cairn_tasks_delayed", "Jobs due later (delayed, scheduled, backing off)"},
        {"cairn_tasks_running", "Jobs running"},
        {"cairn_tasks_succeeded", "Finished jobs kept that succeeded"},
        {"cairn_tasks_dead", "Finished jobs kept that failed every attempt"},
        {"cairn_tasks_cancelled", "Finished jobs kept that were cancelled"},
        {"cairn_tasks_workers", "Workers whose lease is current"},
        {"cairn_tasks_start_latency_p50_seconds", "Due-to-start latency, median of the last 1000 finished jobs"},
        {"cairn_tasks_start_latency_p99_seconds", "Due-to-start latency, 99th percentile of the last 1000 finished jobs"
        },
        {"cairn_tasks_run_time_p50_seconds", "Run time, median of the last 1000 finished jobs"},
        {"cairn_tasks_run_time_p99_seconds", "Run time, 99th percentile of the last 1000 finished jobs"},
    };

    private double value(int family) {
        return switch (family) {
            case 0 -> ready;
            case 1 -> delayed;
            case 2 -> running;
            case 3 -> succeeded;
            case 4 -> dead;
            case 5 -> cancelled;
            case 6 -> workers;
            case 7 -> startP50Ms / 1000.0;
            case 8 -> startP99Ms / 1000.0;
            case 9 -> runP50Ms / 1000.0;
            default -> runP99Ms / 1000.0;
        };
    }

    /** Several queues' numbers (each with the storage it is in, "" for none), each metric family once. */
    static String prometheus(java.util.List<java.util.Map.Entry<QueueStats, String>> stats) {
        StringBuilder b = new StringBuilder();
        for (int f = 0; f < FAMILIES.length; f++) {
            b.append("# HELP ")
                    .append(FAMILIES[f][0])
                    .append(' ')
                    .append(FAMILIES[f][1])
                    .append('\n');
            b.append("# TYPE ").append(FAMILIES[f][0]).append(" gauge\n");
            for (java.util.Map.Entry<QueueStats, String> e : stats) {
                double v = e.getKey().value(f);
                b.append(FAMILIES[f][0]).append('{');
                if (!e.getValue().isEmpty())
                    b.append("storage=\"").append(escape(e.getValue())).append("\",");
                b.append("queue=\"")
                        .append(escape(e.getKey().queue))
                        .append("\"} ")
                        .append(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v))
                        .append('\n');
            }
        }
        return b.toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
