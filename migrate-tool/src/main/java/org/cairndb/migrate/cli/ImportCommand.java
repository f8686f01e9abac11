package org.cairndb.migrate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cairndb.migrate.FileFormat;
import org.cairndb.migrate.Importer;
import org.cairndb.migrate.TransferResult;
import org.cairndb.storage.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cairn import --in FILE --to URI [--format cairn|zodb-filestorage] [--incremental]}. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Reads an export file or a ZODB FileStorage (Data.fs, FS30 or FS21) into a storage; PostgreSQL imports with COPY.",
            "Every transaction is checked whole before it is written: a damaged file is reported with its byte offset and"
                    + " leaves only whole transactions in the destination. Ctrl-C stops after the current batch."
        },
        footer = {
            "%nExamples:",
            "  cairn import --in main.cairnexp --to postgres://cairn@db/cairn",
            "  cairn import --in Data.fs --to mem:/var/cairn/main.cairn     (format detected from the file)"
        })
public final class ImportCommand implements Callable<Integer> {
    @Option(names = "--in", required = true, paramLabel = "FILE", description = "Export file or Data.fs to read.")
    Path in;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "URI",
            description = "Destination storage (empty, unless --incremental).")
    String to;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            converter = FormatConverter.class,
            description = "cairn or zodb-filestorage. Default: detected from the file's first bytes.")
    FileFormat format;

    @Option(
            names = "--incremental",
            description = "Skip the transactions the destination already holds (re-run an interrupted import).")
    boolean incremental;

    @Mixin
    BatchedTransfer transfer;

    @Override
    public Integer call() {
        return Cli.run("import", System.err, () -> {
            if (!Files.exists(in))
                throw new IllegalArgumentException(
                        "cannot read " + in + ": no such file; check the path given to --in");
            if (Files.isDirectory(in))
                throw new IllegalArgumentException("cannot read " + in + ": it is a directory; --in takes a file");
            FileFormat f = format != null ? format : detect(in);
            try (CleanStop stop = new CleanStop("import");
                    Storage dst = Cli.open(to, "destination")) {
                TransferResult r = Importer.importFile(in, f, dst, transfer.options("import", incremental, stop));
                return transfer.finish("import", r, dst);
            }
        });
    }

    /** The format a file's first bytes announce. */
    static FileFormat detect(Path file) {
        byte[] head = new byte[8];
        int n;
        try (InputStream is = Files.newInputStream(file)) {
            n = is.readNBytes(head, 0, 8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(
                    "cannot read " + file + ": no such file; check the path given to --in", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
        }
        String s = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        if (s.startsWith("CAIRNEXP")) return FileFormat.CAIRN;
        if (s.startsWith("FS30") || s.startsWith("FS21")) return FileFormat.ZODB_FILESTORAGE;
        throw new IllegalArgumentException(
                "cannot tell the format of " + file + ": it starts with neither \"CAIRNEXP\" (Cairn export)"
                        + " nor \"FS30\"/\"FS21\" (ZODB FileStorage); pass --format if you know it");
    }
}
