package org.cairndb.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.spi.StatusSection;

/**
 * The task queues in {@code cairn status} and the server's {@code /metrics}: each served
 * storage's queues with their depths, running jobs, failures and latencies. Reads only: a
 * storage without a root object (nothing written yet) is skipped rather than given one.
 */
public final class TaskStatusSection implements StatusSection {
    @Override
    public String text(String name, Storage storage) {
        StringBuilder b = new StringBuilder();
        for (QueueStats s : read(storage))
            b.append("  task queue ").append(s.line()).append('\n');
        return b.toString();
    }

    @Override
    public String prometheus(Map<String, Storage> storages) {
        List<Map.Entry<QueueStats, String>> all = new ArrayList<>();
        for (Map.Entry<String, Storage> e : storages.entrySet()) {
            for (QueueStats s : read(e.getValue())) all.add(Map.entry(s, e.getKey()));
        }
        return all.isEmpty() ? "" : QueueStats.prometheus(all);
    }

    private static List<QueueStats> read(Storage storage) {
        List<QueueStats> out = new ArrayList<>();
        try {
            storage.load(Oid.ROOT);
        } catch (PosKeyException empty) {
            return out;
        }
        try (Database db = Database.open(storage);
                Connection c = db.open()) {
            c.transactionManager().readOnly(() -> {
                long now = System.currentTimeMillis();
                for (String q : QueueState.names(c)) out.add(QueueStats.of(q, QueueState.find(c, q), now));
                return null;
            });
        }
        return out;
    }
}
