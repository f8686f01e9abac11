package org.cairndb.client;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cairndb.client.serial.ObjectCodec;
import org.cairndb.client.serial.References;
import org.cairndb.storage.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Jar}'s dirty check and debug mode: finds, at commit, loaded objects whose state
 * changed without being registered ({@link Persistent#changed()} forgotten after a field was
 * changed in place), and stores them (dirty check) or names them (debug mode).
 *
 * <h2>How</h2>
 * When an object is loaded, its state is serialized afresh and the result (or its digest)
 * is kept on the object as its <em>baseline</em>; after a commit that wrote it, the written
 * record becomes its baseline. Every object loaded or activated in the transaction is put on
 * a watch list. At commit (and at a savepoint) each watched object that is not registered as
 * changed is serialized again and compared with its baseline; those that differ are
 * registered, so they are stored with the usual conflict detection, or reported. At abort
 * and at a rollback, watched objects that differ are turned into ghosts, so an unregistered
 * change does not outlive the transaction that made it in memory either.
 *
 * <h2>Why a fresh serialization and not the loaded record</h2>
 * Serializing the same state twice in one process gives the same bytes, but the record as
 * stored need not: hash sets iterate in identity-hash order, a hash map's iteration order
 * depends on its capacity, and a record written by an older shape of the class has other
 * fields. Comparing with the record would store unchanged objects (and make write conflicts
 * out of reads). So a load costs one extra serialization.
 *
 * <h2>Digest or bytes</h2>
 * The dirty check alone keeps a 16-byte SHA-256 prefix per loaded object (a 32-byte array
 * and a reference: memory bounded whatever the record size; no accidental or crafted
 * collision is feasible, so a change is never mistaken for none). The debug mode keeps the
 * whole serialized state instead (as much memory again as the records), because naming the
 * changed fields needs the old values: it decodes the baseline into a scratch instance and
 * compares field by field.
 *
 * <h2>What it cannot see</h2>
 * Transient fields (they are not stored); objects neither loaded nor activated in the
 * transaction (a reference to a list inside an object kept from an earlier transaction and
 * changed without calling any accessor of the object); changes to state a custom serializer
 * does not write. Cost per commit: one serialization of each watched object.
 *
 * <h2>Concurrency</h2>
 * None inside: used by its jar's connection thread only.
 */
final class ChangeWatch implements References {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeWatch.class);
    private static final int DIGEST_BYTES = 16;
    private static final long UNATTACHED = -2L;

    private final Jar jar;
    private final ObjectCodec codec;
    private final boolean dirtyCheck;
    private final UnregisteredChanges report;
    private final List<Persistent> watched = new ArrayList<>();
    private final MessageDigest sha;

    /** A watch for {@code jar}, or null when neither the dirty check nor the debug mode is on. */
    static ChangeWatch of(Jar jar, ObjectCodec codec, boolean dirtyCheck, UnregisteredChanges report) {
        if (!dirtyCheck && report == UnregisteredChanges.OFF) return null;
        return new ChangeWatch(jar, codec, dirtyCheck, report);
    }

    private ChangeWatch(Jar jar, ObjectCodec codec, boolean dirtyCheck, UnregisteredChanges report) {
        this.jar = jar;
        this.codec = codec;
        this.dirtyCheck = dirtyCheck;
        this.report = report;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private boolean keepBytes() {
        return report != UnregisteredChanges.OFF;
    }

    /** {@code p}'s state was just loaded: keep its baseline and watch it. */
    void loaded(Persistent p) {
        p.setBaseline(baselineOf(codec.encode(p, this)));
        watch(p);
    }

    /** {@code p} was stored as {@code record} (and is not a merge): that is its baseline now. */
    void committed(Persistent p, byte[] record) {
        p.setBaseline(baselineOf(record));
    }

    /** {@code p} is used in this transaction: check it at commit. */
    void watch(Persistent p) {
        if (p.watched()) return;
        p.setWatched(true);
        watched.add(p);
    }

    /**
     * Before commit or a savepoint: registers the watched objects that changed without being
     * registered (dirty check) and reports them (debug mode).
     *
     * @throws UnregisteredChangeException in {@link UnregisteredChanges#FAIL} mode without the dirty check
     */
    void check() {
        List<Persistent> found = new ArrayList<>();
        for (Persistent p : watched) {
            if (p.persistentState() != PersistentState.UP_TO_DATE || p.baseline() == null) continue;
            if (!same(p.baseline(), codec.encode(p, this))) found.add(p);
        }
        if (found.isEmpty()) return;
        if (dirtyCheck) {
            for (Persistent p : found) {
                if (keepBytes())
                    LOG.info(
                            "{} changed without being registered ({}); the dirty check stores it",
                            p.describe(),
                            fields(p));
                jar.register(p);
            }
            return;
        }
        String first = null;
        for (Persistent p : found) {
            String line = p.describe() + " changed without being registered (" + fields(p) + ")";
            if (first == null) first = line;
            LOG.warn(
                    "{}; {}: call changed() after changing a field in place",
                    line,
                    report == UnregisteredChanges.FAIL ? "the commit fails" : "the change is lost");
        }
        if (report == UnregisteredChanges.FAIL) {
            throw new UnregisteredChangeException(
                    first + (found.size() > 1 ? " and " + (found.size() - 1) + " more object(s), see the log" : "")
                            + ": call changed() after changing a field in place, or turn on Database.builder().dirtyCheck(true), or enhance the class");
        }
    }

    /** At abort or a rollback: watched objects changed in memory without being registered become ghosts (reloaded on next use). */
    void revert() {
        for (Persistent p : watched) {
            if (p.persistentState() != PersistentState.UP_TO_DATE || p.baseline() == null) continue;
            if (!same(p.baseline(), codec.encode(p, this))) jar.ghostify(p);
        }
    }

    /** The transaction ended: nothing is watched any more. */
    void ended() {
        for (Persistent p : watched) p.setWatched(false);
        watched.clear();
    }

    private byte[] baselineOf(byte[] state) {
        return keepBytes() ? state : digest(state);
    }

    private boolean same(byte[] baseline, byte[] now) {
        return Arrays.equals(baseline, keepBytes() ? now : digest(now));
    }

    private byte[] digest(byte[] state) {
        return Arrays.copyOf(sha.digest(state), DIGEST_BYTES);
    }

    /** "fields Book.tags, Book.scores", from the whole baseline the debug mode keeps (a digest names none). */
    private String fields(Persistent p) {
        byte[] before = p.baseline();
        if (!keepBytes()) return "fields not named without the debug mode";
        Persistent scratch = codec.newInstance(p.getClass());
        codec.decodeInto(scratch, before, RecordHeader.parse(before).bodyOffset(), this);
        List<String> names = codec.differingFields(p, scratch, this);
        if (names.isEmpty()) return "no stored field differs by value; the object graph's shape changed";
        return (names.size() == 1 ? "field " : "fields ") + String.join(", ", names);
    }

    // ---- References for serializing to compare: never adopts a new object, never loads ----

    @Override
    public long oidOf(Persistent target) {
        Jar j = target.jar();
        if (target.oid() == Persistent.NO_OID) return UNATTACHED; // a new object: the state differs
        return j == jar || j == null ? target.oid() : UNATTACHED; // ours, or a placeholder of the scratch copy
    }

    @Override
    public Persistent resolve(long oid, Class<? extends Persistent> type) {
        return Placeholders.placeholder(codec.newInstance(type), oid);
    }
}
