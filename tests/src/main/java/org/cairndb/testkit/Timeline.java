package org.cairndb.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one run, printed as a table a person can follow: which connection did what at
 * which step, the tid it committed (or the snapshot it began on), and the state before and
 * after (the connection's view for operations, the stored state for commits).
 */
final class Timeline {
    private static final int MAX_STATE = 70;

    private final String header;
    private final List<String[]> rows = new ArrayList<>();

    Timeline(String header) {
        this.header = header;
    }

    void row(String step, int connection, String event, String tid, Object before, Object after, String note) {
        rows.add(new String[] {
            step,
            connection < 0 ? "" : "c" + (connection + 1),
            event,
            tid == null ? "" : tid,
            before == null ? "" : clip(String.valueOf(before)),
            after == null ? "" : clip(String.valueOf(after)),
            note == null ? "" : note
        });
    }

    /** The row just added gets a note (the failure is marked where it happened). */
    void markLast(String note) {
        if (rows.isEmpty()) return;
        String[] last = rows.get(rows.size() - 1);
        last[6] = last[6].isEmpty() ? note : last[6] + "; " + note;
    }

    private static String clip(String s) {
        return s.length() <= MAX_STATE ? s : s.substring(0, MAX_STATE - 3) + "...";
    }

    String render() {
        String[] titles = {"step", "conn", "event", "tid", "before", "after", "note"};
        int[] width = new int[titles.length];
        for (int i = 0; i < titles.length; i++) width[i] = titles[i].length();
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        StringBuilder sb = new StringBuilder(header).append('\n');
        line(sb, titles, width);
        for (String[] r : rows) line(sb, r, width);
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] cells, int[] width) {
        sb.append("  ");
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i];
            sb.append(c);
            if (i < cells.length - 1) sb.append(" ".repeat(width[i] - c.length() + 2));
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') end--;
        sb.setLength(end);
        sb.append('\n');
    }
}
