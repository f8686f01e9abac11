package org.cairndb.client;

import java.util.Arrays;
import java.util.Objects;

/**
 * A fragment cache key made of parts, optionally for one user: personalised fragments (a
 * header saying "hello Ada", a "your reviews" box) are cached per user, and never served to
 * another user even when the other parts agree.
 *
 * <pre>{@code
 * cache.get(FragmentKey.of("book", isbn), () -> renderBook(isbn));
 * cache.get(FragmentKey.forUser(userId, "header"), () -> renderHeader(user));
 * }</pre>
 * Plain {@code String} keys work too; a {@code String} never equals a {@code FragmentKey}.
 */
public final class FragmentKey {
    private final String user;
    private final String[] parts;
    private final String encoded;

    private FragmentKey(String user, String[] parts) {
        if (parts.length == 0)
            throw new IllegalArgumentException(
                    "a fragment key needs at least one part, e.g. FragmentKey.of(\"book\", id)");
        this.user = user;
        this.parts = parts;
        StringBuilder b = new StringBuilder("#");
        if (user != null) escape(b.append("u="), user).append('|');
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) b.append('|');
            escape(b, parts[i]);
        }
        this.encoded = b.toString();
    }

    /** A key shared by every user: {@code of("book", 42)}. Parts are turned into strings. */
    public static FragmentKey of(Object... parts) {
        return new FragmentKey(null, strings(parts));
    }

    /** A key of one user's personalised fragment: {@code forUser(userId, "header")}. */
    public static FragmentKey forUser(Object user, Object... parts) {
        Objects.requireNonNull(
                user, "a personalised fragment key needs a user; use FragmentKey.of(...) for a shared fragment");
        return new FragmentKey(String.valueOf(user), strings(parts));
    }

    /** The user of a personalised key, or null. */
    public String user() {
        return user;
    }

    /** The key as the cache stores it (also on the shared tier). */
    public String encoded() {
        return encoded;
    }

    /** The string form of any key {@link FragmentCache} accepts: a {@code String} or a {@code FragmentKey}. */
    static String encode(Object key) {
        if (key instanceof String s) return "=" + s;
        if (key instanceof FragmentKey k) return k.encoded;
        throw new IllegalArgumentException("a fragment cache key is a String or a FragmentKey, not "
                + (key == null ? "null" : key.getClass().getName()) + "; build one with FragmentKey.of(...)");
    }

    private static String[] strings(Object[] parts) {
        String[] out = new String[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = String.valueOf(parts[i]);
        return out;
    }

    private static StringBuilder escape(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '|' || c == '\\') b.append('\\');
            b.append(c);
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FragmentKey k && k.encoded.equals(encoded);
    }

    @Override
    public int hashCode() {
        return encoded.hashCode();
    }

    @Override
    public String toString() {
        return (user == null ? "" : "user " + user + ": ") + String.join("/", Arrays.asList(parts));
    }
}
