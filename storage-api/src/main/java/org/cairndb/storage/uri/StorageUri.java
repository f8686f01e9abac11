package org.cairndb.storage.uri;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed storage URI: {@code scheme:[//authority][/path][?key=value&...]}, e.g.
 * {@code mem:}, {@code mem:/var/cairn/main.cairn}, {@code temp:},
 * {@code postgres://user:pass@host:5432/db?history=free}, {@code cairn://host:8100/main}.
 * Query parameters keep their order; a key given twice is an error.
 */
public final class StorageUri {
    private final String text;
    private final String scheme;
    private final String schemeSpecific;
    private final String authority;
    private final String path;
    private final Map<String, String> params;

    private StorageUri(String text, String scheme, String schemeSpecific, String authority, String path, Map<String, String> params) {
        this.text = text;
        this.scheme = scheme;
        this.schemeSpecific = schemeSpecific;
        this.authority = authority;
        this.path = path;
        this.params = params;
    }

    public static StorageUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidStorageUriException(String.valueOf(text), "a storage URI is empty; expected e.g. mem:, temp:, postgres://..., cairn://host:port/name");
        }
        String t = text.trim();
        int colon = t.indexOf(':');
        if (colon <= 0 || !t.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            throw new InvalidStorageUriException(t, "no scheme; expected scheme:..., e.g. mem:, temp:, postgres://..., cairn://host:port/name");
        }
        String scheme = t.substring(0, colon).toLowerCase();
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

    public String scheme() { return scheme; }
    /** Everything between "scheme:" and "?". */
    public String schemeSpecific() { return schemeSpecific; }
    /** The part after "//" up to the next "/", or null. */
    public String authority() { return authority; }
    /** The path (after the authority, if any); may be empty. */
    public String path() { return path; }
    public Map<String, String> params() { return params; }

    public String param(String key, String defaultValue) {
        return params.getOrDefault(key, defaultValue);
    }

    /** Refuses parameters other than {@code allowed}, naming the URI, the parameter and the allowed ones. */
    public StorageUri requireOnlyParams(Set<String> allowed) {
        for (String k : params.keySet()) {
            if (!allowed.contains(k)) {
                throw new InvalidStorageUriException(redacted(), "unknown parameter '" + k + "'; "
                        + (allowed.isEmpty() ? "scheme " + scheme + ": takes no parameters" : "known parameters are " + new TreeSet<>(allowed)));
            }
        }
        return this;
    }

    /** The URI with any password replaced by "***", for messages and names. */
    public String redacted() {
        if (authority == null) return text;
        int at = authority.lastIndexOf('@');
        if (at < 0) return text;
        String userInfo = authority.substring(0, at);
        int c = userInfo.indexOf(':');
        if (c < 0) return text;
        // replace the authority where it stands (after "scheme://"), not a copy of it in the path
        int start = text.indexOf("//" + authority) + 2;
        return text.substring(0, start) + userInfo.substring(0, c) + ":***" + authority.substring(at)
                + text.substring(start + authority.length());
    }

    @Override
    public String toString() { return redacted(); }
}
