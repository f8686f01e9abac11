package org.cairndb.tasks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.cairndb.client.Connection;
import org.cairndb.client.collections.PersistentMap;

/** Writing jobs into a queue's indexes: submits, the next occurrence of a schedule, pruning. */
final class Submit {
    private Submit() {}

    /** Adds a job in {@code conn}'s current transaction and returns its oid (or the oid of the job already holding its idempotency key). */
    static long enqueue(
            Connection conn, String queue, Object payload, TaskOptions o, String scheduleName, Cron cron, long now) {
        return enqueue(conn, queue, payload, o, scheduleName, cron, now, now);
    }

    /** As above; a scheduled job's due time is the cron's first minute after {@code cronAfter}. */
    static long enqueue(
            Connection conn,
            String queue,
            Object payload,
            TaskOptions o,
            String scheduleName,
            Cron cron,
            long now,
            long cronAfter) {
        QueueState q = QueueState.findOrCreate(conn, queue);
        long due = o.notBefore() != null ? o.notBefore().toEpochMilli() : now;
        String key = o.idempotencyKey();
        if (cron != null) {
            due = cron.next(cronAfter);
            key = "schedule:" + scheduleName + "@" + due;
        }
        if (key != null) {
            Job existing = q.keyShard(key).get(key);
            if (existing != null) return existing.oid();
        }
        Job j = new Job();
        j.queue = queue;
        j.payload = payload;
        j.priority = o.priority();
        j.createdAt = now;
        j.dueAt = due;
        j.maxAttempts = o.maxAttempts() > 0 ? o.maxAttempts() : q.defaultMaxAttempts();
        j.backoffMillis = o.backoff() != null ? o.backoff().toMillis() : q.defaultBackoffMillis();
        j.timeoutMillis = o.timeout() != null ? o.timeout().toMillis() : q.defaultTimeoutMillis();
        j.idempotencyKey = key;
        j.scheduleName = scheduleName;
        j.cron = cron == null ? null : cron.toString();
        j.scheduledAt = cron == null ? 0 : due;
        conn.add(j);
        q.add(j);
        return j.oid();
    }

    /** After a scheduled job ended (not cancelled): submits its schedule's next occurrence, once. */
    static void nextOccurrence(Connection conn, Job ended, long now) {
        if (ended.cron == null || ended.state == TaskState.CANCELLED) return;
        Cron c = Cron.parse(ended.cron);
        long after = Math.max(now, ended.scheduledAt);
        TaskOptions o = TaskOptions.defaults().priority(ended.priority).maxAttempts(ended.maxAttempts);
        enqueue(conn, ended.queue, ended.payload, o, ended.scheduleName, c, now, after);
    }

    static int prune(QueueState q, long endedBefore, int keep) {
        if (q == null) return 0;
        List<Job> done = new ArrayList<>();
        for (PersistentMap<Long, Job> m : q.doneShards()) done.addAll(m.values());
        done.sort(Comparator.comparingLong((Job j) -> j.status().finishedAt()).reversed());
        int n = 0;
        for (int i = 0; i < done.size(); i++) {
            Job j = done.get(i);
            if (i >= keep || j.status().finishedAt() < endedBefore) {
                q.forget(j);
                n++;
            }
        }
        return n;
    }
}
