package org.cairndb.migrate;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The file formats export writes and import reads. */
public enum FileFormat {
    /** Cairn's own streaming format, docs/export-format.md. */
    CAIRN("cairn"),
    /** ZODB's FileStorage ({@code Data.fs}): FS30 written, FS30 and FS21 read. */
    ZODB_FILESTORAGE("zodb-filestorage");

    private final String cliName;

    FileFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static FileFormat parse(String s) {
        for (FileFormat f : values()) {
            if (f.cliName.equalsIgnoreCase(s) || f.name().equalsIgnoreCase(s)) return f;
        }
        throw new IllegalArgumentException("unknown format '" + s + "'; known formats: "
                + Arrays.stream(values()).map(FileFormat::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
