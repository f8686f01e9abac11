package org.cairndb.storage.uri;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A parsed storage URI: {@code scheme:[//authority][/path][?key=value&...]}, e.g.
 * {@code mem:}, {@code mem:/var/cairn/main.cairn}, {@code temp:},
 * {@code postgres://user:pass@host:5432/db?history=free}, {@code cairn://host:8100/main}.
 * Query parameters keep their order; a key given twice is an error.
 *
 * <p>Every scheme takes {@code create=true|false} (default true): with {@code create=false}
 * opening never creates anything (no file, directory, table or schema); a storage that does
 * not exist is an error naming it. Commands that only read set it ({@link Storages#openExisting}).
 */
public final class StorageUri {
    private final String text;
    private final String scheme;
    private final String schemeSpecific;
    private final @Nullable String authority;
    private final String path;
    private final Map<String, String> params;

    /** The parameter every scheme takes: {@code create=false} opens only what exists. */
    public static final String CREATE = "create";

    private StorageUri(
            String text,
            String scheme,
            String schemeSpecific,
            @Nullable String authority,
            String path,
            Map<String, String> params) {
        this.text = text;
        this.scheme = scheme;
        this.schemeSpecific = schemeSpecific;
        this.authority = authority;
        this.path = path;
        this.params = params;
    }

    public static StorageUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidStorageUriException(
                    String.valueOf(text),
                    "a storage URI is empty; expected e.g. mem:, temp:, postgres://..., cairn://host:port/name");
        }
        String t = text.trim();
        int colon = t.indexOf(':');
        if (colon <= 0 || !t.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            throw new InvalidStorageUriException(
                    t, "no scheme; expected scheme:..., e.g. mem:, temp:, postgres://..., cairn://host:port/name");
        }
        String scheme =
                t.substring(0, colon).toLowerCase(Locale.ROOT); // not the default locale: "I" is not "i" everywhere
        String rest = t.substring(colon + 1);
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String authority = null;
        String path = rest;
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
            path = slash < 0 ? "" : rest.substring(slash);
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (params.put(k, v) != null) {
                    throw new InvalidStorageUriException(t, "parameter '" + k + "' is given twice");
                }
            }
        }
        return new StorageUri(t, scheme, rest, authority, path, Collections.unmodifiableMap(params));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public String scheme() {
        return scheme;
    }
    /** Everything between "scheme:" and "?". */
    public String schemeSpecific() {
        return schemeSpecific;
    }
    /** The part after "//" up to the next "/", or null. */
    public @Nullable String authority() {
        return authority;
    }
    /** The path (after the authority, if any); may be empty. */
    public String path() {
        return path;
    }

    public Map<String, String> params() {
        return params;
    }

    /** False when the URI says {@code create=false}: opening must not create anything. */
    public boolean mayCreate() {
        String v = params.get(CREATE);
        if (v == null || v.equalsIgnoreCase("true")) return true;
        if (v.equalsIgnoreCase("false")) return false;
        throw new InvalidStorageUriException(redacted(), "create='" + v + "' must be true or false");
    }

    /** This URI with one parameter set (its text, used in names and messages, is unchanged). */
    public StorageUri withParam(String key, String value) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put(key, value);
        return new StorageUri(text, scheme, schemeSpecific, authority, path, Collections.unmodifiableMap(p));
    }

    public String param(String key, String defaultValue) {
        return params.getOrDefault(key, defaultValue);
    }

    /** Refuses parameters other than {@code allowed}, naming the URI, the parameter and the allowed ones. */
    public StorageUri requireOnlyParams(Set<String> allowed) {
        for (String k : params.keySet()) {
            if (!allowed.contains(k) && !k.equals(CREATE)) {
                throw new InvalidStorageUriException(
                        redacted(),
                        "unknown parameter '" + k + "'; "
                                + (allowed.isEmpty()
                                        ? "scheme " + scheme + ": takes no parameters (but create=)"
                                        : "known parameters are " + new TreeSet<>(allowed) + " and create="));
            }
        }
        mayCreate();
        return this;
    }

    /** The URI with any password (userinfo, or a parameter named like a secret) replaced by "***", for messages and names. */
    public String redacted() {
        return Secrets.mask(text);
    }

    @Override
    public String toString() {
        return redacted();
    }
}
