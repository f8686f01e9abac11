package org.cairndb.tasks;

import org.cairndb.storage.Oid;

/** A job's id: the oid of its record. Its string form ({@code 0x2a}) is what {@link #parse} and the CLI take. */
public record TaskId(long oid) {
    public static TaskId parse(String s) {
        String t = s.trim();
        try {
            return new TaskId(
                    t.startsWith("0x") || t.startsWith("0X")
                            ? Long.parseUnsignedLong(t.substring(2), 16)
                            : Long.parseUnsignedLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + s + "' is not a task id; ids look like 0x2a (as `cairn tasks list` shows them)");
        }
    }

    @Override
    public String toString() {
        return Oid.describe(oid);
    }
}
