package org.cairndb.protocol;

import org.cairndb.storage.ConflictException;
import org.cairndb.storage.CorruptDataException;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.ReadOnlyException;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.UndoException;

/**
 * ERROR payloads: {@code kind:u8 message:str} and, for conflicts,
 * {@code oid:i64 className:str readTid:i64 currentTid:i64}, for POSKEY {@code oid:i64}.
 * The client rebuilds the same exception type the storage threw in the server, so callers
 * (and TransactionManager's retry) cannot tell a remote storage from a local one.
 */
public final class ErrorCodec {
    private ErrorCodec() {}

    public static final int PROTOCOL = 1,
            AUTH = 2,
            CONFLICT = 3,
            READ_CONFLICT = 4,
            POSKEY = 5,
            MISUSE = 6,
            READ_ONLY = 7,
            UNDO = 8,
            UNSUPPORTED = 9,
            CLOSED = 10,
            CORRUPT = 11,
            RETRYABLE = 12,
            STORAGE = 13,
            INTERNAL = 14,
            LIMIT = 15;

    public static Frame encode(int requestId, Throwable t) {
        PayloadWriter w = new PayloadWriter(128);
        int kind = kindOf(t);
        w.u8(kind).str(messageOf(t));
        if (t instanceof ConflictException c) {
            w.i64(c.oid()).str(c.className()).i64(c.readTid()).i64(c.currentTid());
        } else if (t instanceof PosKeyException p) {
            w.i64(p.oid());
        }
        return w.frame(requestId, Op.ERROR);
    }

    /** An error of a given kind with a plain message (protocol, auth, limits). */
    public static Frame encode(int requestId, int kind, String message) {
        return new PayloadWriter(message.length() + 8).u8(kind).str(message).frame(requestId, Op.ERROR);
    }

    private static String messageOf(Throwable t) {
        String m = t.getMessage();
        return m != null ? m : t.getClass().getName();
    }

    static int kindOf(Throwable t) {
        if (t instanceof ProtocolException) return PROTOCOL;
        if (t instanceof ReadConflictException) return READ_CONFLICT;
        if (t instanceof ConflictException) return CONFLICT;
        if (t instanceof PosKeyException) return POSKEY;
        if (t instanceof StorageMisuseException) return MISUSE;
        if (t instanceof ReadOnlyException) return READ_ONLY;
        if (t instanceof UndoException) return UNDO;
        if (t instanceof UnsupportedOperationException) return UNSUPPORTED;
        if (t instanceof StorageClosedException) return CLOSED;
        if (t instanceof CorruptDataException) return CORRUPT;
        if (t instanceof RetryableException) return RETRYABLE;
        if (t instanceof StorageException) return STORAGE;
        if (t instanceof IllegalArgumentException) return MISUSE;
        return INTERNAL;
    }

    /** Rebuilds the exception of an ERROR frame; {@code where} names the server and storage for context. */
    public static RuntimeException decode(Frame f, String where) {
        PayloadReader r = f.reader();
        int kind = r.u8();
        String msg = r.str();
        switch (kind) {
            case CONFLICT, READ_CONFLICT -> {
                long oid = r.i64();
                String cls = r.str();
                long readTid = r.i64();
                long currentTid = r.i64();
                return kind == CONFLICT
                        ? new ConflictException(oid, cls, readTid, currentTid, null)
                        : new ReadConflictException(oid, cls, readTid, currentTid, detailOf(msg));
            }
            case POSKEY -> {
                long oid = r.i64();
                String prefix = "no record for oid " + Oid.describe(oid) + ": ";
                return new PosKeyException(oid, msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg);
            }
            case MISUSE -> {
                return new StorageMisuseException(msg);
            }
            case READ_ONLY -> {
                return new ReadOnlyException(msg);
            }
            case UNDO -> {
                return new UndoException(msg);
            }
            case UNSUPPORTED -> {
                return new UnsupportedOperationException(where + ": " + msg);
            }
            case CLOSED -> {
                String suffix = " is closed; open it again to go on";
                return new StorageClosedException(
                        msg.endsWith(suffix) ? msg.substring(0, msg.length() - suffix.length()) : msg);
            }
            case CORRUPT -> {
                return new CorruptDataException(msg);
            }
            case RETRYABLE -> {
                return new RetryableException(msg);
            }
            case PROTOCOL -> {
                return new ProtocolException(where + ": the server refused a frame: " + msg);
            }
            case AUTH -> {
                return new AuthenticationException(where + ": " + msg);
            }
            case LIMIT -> {
                return new RetryableException(where + ": " + msg);
            }
            default -> {
                return new StorageException(where + ": " + msg);
            }
        }
    }

    /** The detail part of a read-conflict message ("...; detail. The transaction..."), or null. */
    private static String detailOf(String msg) {
        int semi = msg.indexOf("; ");
        int end = msg.indexOf(". The transaction was not committed");
        return semi >= 0 && end > semi ? msg.substring(semi + 2, end) : null;
    }
}
