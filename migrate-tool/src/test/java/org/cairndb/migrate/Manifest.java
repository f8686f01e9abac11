package org.cairndb.migrate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.cairndb.migrate.zodb.FileStorageReader;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Oid;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;

/**
 * Builds the fixtures' manifest text (see src/test/resources/zodb/README.md) from a stream
 * of transactions: one {@code T} line per transaction, one {@code R} line per record, then
 * the counts and, for a file, its sha256.
 */
public final class Manifest {
    /** The directory of the ZODB fixtures, which Maven copies from src/test/resources/zodb onto the test class path. */
    public static final Path FIXTURES = fixtures();

    private static Path fixtures() {
        java.net.URL readme = Manifest.class.getResource("/zodb/README.md");
        if (readme == null)
            throw new IllegalStateException("the ZODB fixtures (zodb/README.md) are not on the test class path");
        try {
            return Path.of(readme.toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot locate the ZODB fixtures at " + readme, e);
        }
    }

    private final StringBuilder text = new StringBuilder();
    private long transactions;
    private long records;

    public void add(TransactionRecord t) {
        transactions++;
        text.append("T ")
                .append(Tid.hex(t.tid()))
                .append(" '")
                .append(t.packed() ? 'p' : ' ')
                .append("' user=")
                .append(sha(t.metadata().user().getBytes(StandardCharsets.UTF_8), 8))
                .append(" desc=")
                .append(sha(t.metadata().description().getBytes(StandardCharsets.UTF_8), 8))
                .append(" ext=")
                .append(sha(t.metadata().extension(), 8))
                .append(" records=")
                .append(t.revisions().size())
                .append('\n');
        for (Revision r : t.revisions()) {
            records++;
            text.append("R ")
                    .append(Oid.hex(r.oid()))
                    .append(' ')
                    .append(Tid.hex(r.tid()))
                    .append(' ');
            if (r.isBackpointer()) text.append("back:").append(Tid.hex(r.dataTid()));
            else if (r.data() == null) text.append("back:none"); // a backpointer of 0: no data (an undone creation)
            else text.append(sha(r.data(), 12));
            text.append('\n');
        }
    }

    /** The manifest without the file's sha256 (for storages). */
    public String body() {
        return text + "# transactions=" + transactions + " records=" + records;
    }

    public static Manifest of(CloseableIterator<TransactionRecord> it) {
        Manifest m = new Manifest();
        try (it) {
            while (it.hasNext()) m.add(it.next());
        }
        return m;
    }

    /** The full manifest of a FileStorage file, as the fixtures' .manifest files hold it. */
    public static String ofFile(Path fs) {
        return of(FileStorageReader.open(fs)).body() + " file_sha256=" + sha256(fs) + "\n";
    }

    /** The fixture's manifest without the file_sha256 part. */
    public static String bodyOf(String manifest) {
        return manifest.substring(0, manifest.lastIndexOf(" file_sha256="));
    }

    public static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(Path p) {
        try {
            return sha(Files.readAllBytes(p), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha(byte[] b, int hexDigits) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(b))
                    .substring(0, hexDigits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
