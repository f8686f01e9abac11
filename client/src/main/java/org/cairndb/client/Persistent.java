package org.cairndb.client;

import org.cairndb.storage.Oid;
import org.cairndb.storage.Tid;

/**
 * Base class of every object stored by Cairn's object layer. Each persistent object is one
 * record in the storage; a field that holds another persistent object is stored as that
 * object's oid and loaded lazily (the referenced object is a <em>ghost</em> until touched).
 *
 * <h2>Plain classes (enhanced)</h2>
 * Built with the Cairn enhancer (module cairn-enhancer: a Byte Buddy build plugin or
 * {@code -javaagent}), a subclass is a plain class: every read of a stored field calls
 * {@link #activate()} first and every write {@link #changing()}, wherever the field is touched
 * (README, "Transparent persistence"). Only an in-place change of a mutable field value (a
 * {@code java.util} list, a map, an array) still needs {@link #changed()}.
 *
 * <h2>The accessor pattern (without enhancement)</h2>
 * A class that is not enhanced says itself when state is read or written:
 * <pre>{@code
 * public class Book extends Persistent {
 *     private String title;
 *     private List<String> tags = new ArrayList<>();
 *
 *     public String title()         { activate(); return title; }     // load a ghost
 *     public void title(String t)   { changing(); title = t; }          // mark changed, then write
 *     public void tag(String t)     { activate(); tags.add(t); changed(); } // in-place change: say so
 * }
 * }</pre>
 * {@code activate()} loads the object if it is a ghost; {@code changing()} loads it and
 * registers it as changed in the current transaction; {@code changed()} does the same after
 * a plain mutable field (a list, a map, an array) was changed in place, as in ZODB. A
 * forgotten {@code changed()} loses the change, unless the database's dirty check is on
 * ({@link Database.Builder#dirtyCheck}); its debug mode ({@link Database.Builder#reportUnregisteredChanges})
 * names such objects at commit. All three are idempotent, so they may also be called in
 * enhanced classes.
 *
 * <p>Fields marked {@code transient} are not stored. Subclasses need no special
 * constructor: ghosts are created without calling one. An object is used by one thread at a
 * time, the thread of its connection.
 */
public abstract class Persistent {
    static final long NO_OID = -1L;

    // Instances are also made without running constructors (ghosts, conflict resolution), so
    // every field's zero value must mean "none": oids are kept plus one, a null state is TRANSIENT.
    private transient long oidPlusOne;
    private transient long serial = Tid.ZERO;
    private transient PersistentState state;
    private transient Jar jar;
    /** The object whose record first referred to this ghost, plus one (for "dangling reference" messages). */
    private transient long referrerPlusOne;
    /** Approximate size of the record, for the cache's byte bound. */
    private transient int estimatedSize;
    /** Second-chance bit of the cache's CLOCK eviction: set on access, cleared by the sweep. */
    private transient boolean accessed;
    /** True while the object sits in its cache's CLOCK ring. */
    private transient boolean inRing;
    /** The state as loaded, for the dirty check and debug mode ({@link ChangeWatch}); null when neither is on. */
    private transient byte[] baseline;
    /** True while the object is on its jar's list of objects to check at commit. */
    private transient boolean watched;

    protected Persistent() {}

    /** Loads this object's state if it is a ghost. Call at the start of every reading accessor. */
    protected final void activate() {
        PersistentState s = state;
        if (s == PersistentState.GHOST) {
            if (jar == null) {
                throw new ObjectLayerException(describe() + " is a reference placeholder inside conflict resolution:"
                        + " resolve(ancestor, committed, mine) may compare references (they compare by oid) but cannot"
                        + " read the referenced object's state");
            }
            jar.load(this);
        } else if (s != null && s != PersistentState.TRANSIENT) {
            accessed = true;
            if (jar.isClosed()) jar.checkUsable(this);
            if (baseline != null && !watched) jar.watch(this);
            ReadCapture.read(
                    jar, oid(), s == PersistentState.CHANGED); // a fragment being computed depends on this object
        }
    }

    /** Loads this object if needed and marks it changed. Call before assigning a field. */
    protected final void changing() {
        activate();
        if (state == PersistentState.UP_TO_DATE) {
            jar.register(this);
        } else if (state == PersistentState.CHANGED) {
            jar.checkWritable(this);
        }
    }

    /** Marks this object changed after one of its mutable fields was changed in place. */
    public final void changed() {
        changing();
    }

    /** The object id, or -1 while the object is transient (not yet stored). */
    public final long oid() {
        return oidPlusOne - 1;
    }

    /** The tid of the transaction that wrote the state this object was loaded from (0 if new). */
    public final long serial() {
        return serial;
    }

    public final PersistentState persistentState() {
        return state == null ? PersistentState.TRANSIENT : state;
    }

    /** The connection this object belongs to, or null while it is transient. */
    public final Connection connection() {
        return jar == null ? null : jar.connection();
    }

    /** For messages: {@code Book oid 0x2a}. */
    public final String describe() {
        return getClass().getName() + (oidPlusOne == 0 ? " (transient)" : " oid " + Oid.describe(oid()));
    }

    // ---- state management for Jar and the codec (package-private) ----

    final Jar jar() {
        return jar;
    }

    final long referrer() {
        return referrerPlusOne - 1;
    }

    final int estimatedSize() {
        return estimatedSize;
    }

    final boolean accessedBit() {
        return accessed;
    }

    final void clearAccessed() {
        accessed = false;
    }

    final void attach(Jar jar, long oid, PersistentState state) {
        this.jar = jar;
        this.oidPlusOne = oid + 1;
        this.state = state;
    }

    final void attachPlaceholder(long oid) {
        this.oidPlusOne = oid + 1;
        this.state = PersistentState.GHOST;
    }

    final void detach() {
        this.jar = null;
        this.oidPlusOne = 0;
        this.serial = Tid.ZERO;
        this.state = PersistentState.TRANSIENT;
        this.baseline = null;
    }

    final void setState(PersistentState state) {
        this.state = state;
    }

    final void setSerial(long serial) {
        this.serial = serial;
    }

    final void setReferrer(long referrer) {
        if (referrerPlusOne == 0) referrerPlusOne = referrer + 1;
    }

    final void setEstimatedSize(int bytes) {
        this.estimatedSize = bytes;
    }

    final void markAccessed() {
        accessed = true;
    }

    final boolean inRing() {
        return inRing;
    }

    final void setInRing(boolean inRing) {
        this.inRing = inRing;
    }

    final byte[] baseline() {
        return baseline;
    }

    final void setBaseline(byte[] baseline) {
        this.baseline = baseline;
    }

    final boolean watched() {
        return watched;
    }

    final void setWatched(boolean watched) {
        this.watched = watched;
    }

    @Override
    public String toString() {
        if (state == PersistentState.GHOST) return getClass().getSimpleName() + "[ghost " + Oid.describe(oid()) + "]";
        return super.toString();
    }
}
