package org.cairndb.remote;

import java.nio.file.Path;
import java.util.Set;
import org.cairndb.protocol.Protocol;
import org.cairndb.storage.uri.InvalidStorageUriException;
import org.cairndb.storage.uri.StorageUri;

/**
 * The parameters of a {@code cairn://host:port/name?...} URI:
 * <pre>
 *   secret=S            shared secret of the server
 *   readonly=true       open read-only (the server refuses every write)
 *   cache=/path/file    persistent record cache (Chronicle Map) that survives restarts
 *   cache-mb=64         in-memory record cache size; 0 disables it
 *   cache-entries=N     records the persistent cache file holds; beyond, the least recently used go (default 100000)
 *   tls-keystore=P      PKCS#12 file with this client's key and certificate
 *   tls-truststore=P    PKCS#12 file with the server certificates to trust
 *   tls-password=PW     password of both stores
 *   connect-timeout=10  seconds to (re)connect before a request fails (retryable)
 *   request-timeout=300 seconds before an unanswered request fails
 * </pre>
 */
final class RemoteOptions {
    static final Set<String> PARAMS = Set.of(
            "secret",
            "readonly",
            "cache",
            "cache-mb",
            "cache-entries",
            "cache-record-bytes",
            "tls-keystore",
            "tls-truststore",
            "tls-password",
            "connect-timeout",
            "request-timeout",
            "max-frame");

    final String uri;
    final String host;
    final int port;
    final String storage;
    final String secret;
    final boolean readOnly;
    final Path cacheFile;
    final long cacheBytes;
    final long cacheEntries;
    final int cacheRecordBytes;
    final Path tlsKeyStore;
    final Path tlsTrustStore;
    final String tlsPassword;
    final long connectTimeoutMillis;
    final long requestTimeoutMillis;
    final int maxFrame;

    RemoteOptions(StorageUri u) {
        u.requireOnlyParams(PARAMS);
        uri = u.redacted();
        String auth = u.authority();
        if (auth == null || auth.isEmpty())
            throw new InvalidStorageUriException(uri, "no host; expected cairn://host:port/name");
        int colon = auth.lastIndexOf(':');
        host = colon < 0 ? auth : auth.substring(0, colon);
        port = colon < 0 ? 8100 : intParam(u, "port", auth.substring(colon + 1), 1, 65535);
        String path = u.path();
        storage = path.startsWith("/") ? path.substring(1) : path;
        if (storage.isEmpty() || storage.contains("/")) {
            throw new InvalidStorageUriException(
                    uri, "the path must name one storage of the server, e.g. cairn://" + auth + "/main");
        }
        secret = u.param("secret", null);
        String ro = u.param("readonly", "false");
        if (!ro.equals("true") && !ro.equals("false"))
            throw new InvalidStorageUriException(uri, "readonly=" + ro + " (expected true or false)");
        readOnly = ro.equals("true");
        String c = u.param("cache", null);
        cacheFile = c == null || c.isEmpty() ? null : Path.of(c);
        cacheBytes = intParam(u, "cache-mb", u.param("cache-mb", "64"), 0, 1 << 20) * (1L << 20);
        cacheEntries = intParam(u, "cache-entries", u.param("cache-entries", "100000"), 1000, Integer.MAX_VALUE);
        cacheRecordBytes = intParam(u, "cache-record-bytes", u.param("cache-record-bytes", "256"), 16, 1 << 24);
        String ks = u.param("tls-keystore", null);
        String ts = u.param("tls-truststore", null);
        tlsKeyStore = ks == null ? null : Path.of(ks);
        tlsTrustStore = ts == null ? null : Path.of(ts);
        tlsPassword = u.param("tls-password", "");
        connectTimeoutMillis = intParam(u, "connect-timeout", u.param("connect-timeout", "10"), 1, 86400) * 1000L;
        requestTimeoutMillis = intParam(u, "request-timeout", u.param("request-timeout", "300"), 1, 86400 * 7) * 1000L;
        maxFrame = intParam(
                u,
                "max-frame",
                u.param("max-frame", String.valueOf(Protocol.DEFAULT_MAX_FRAME)),
                1024,
                Integer.MAX_VALUE);
    }

    private int intParam(StorageUri u, String name, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidStorageUriException(uri, name + "=" + v + " is not a whole number in " + min + ".." + max);
        }
    }

    /** cairn://host:port/name, for messages. */
    String describe() {
        return "cairn://" + host + ":" + port + "/" + storage;
    }
}
