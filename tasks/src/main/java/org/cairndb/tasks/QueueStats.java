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
public record QueueStats(String queue, boolean exists, int ready, int delayed, int running, int succeeded, int dead, int cancelled,
        int workers, long startP50Ms, long startP99Ms, long runP50Ms, long runP99Ms) {

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
                if (s.startedAt() > 0) recent.add(new long[] {s.finishedAt(), s.startedAt() - Math.max(s.createdAt(), s.dueAt()), s.finishedAt() - s.startedAt()});
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
        return new QueueStats(name, true, ready, delayed, running, ok, dead, cancelled, workers, pct(start, 50), pct(start, 99), pct(run, 50),
                pct(run, 99));
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) return 0;
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** One line: {@code amazon: ready=3 delayed=0 running=1 succeeded=120 dead=2 cancelled=0 workers=4 start_p50_ms=1 ...}. */
    public String line() {
        if (!exists) return queue + ": no such queue";
        return queue + ": ready=" + ready + " delayed=" + delayed + " running=" + running + " succeeded=" + succeeded + " dead=" + dead
                + " cancelled=" + cancelled + " workers=" + workers + " start_p50_ms=" + startP50Ms + " start_p99_ms=" + startP99Ms
                + " run_p50_ms=" + runP50Ms + " run_p99_ms=" + runP99Ms;
    }
}
