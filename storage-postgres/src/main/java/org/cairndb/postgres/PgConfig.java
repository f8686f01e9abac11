package org.cairndb.postgres;

import java.util.Locale;
import java.util.Set;
import org.cairndb.storage.uri.InvalidStorageUriException;
import org.cairndb.storage.uri.StorageUri;

/**
 * What a {@code postgres://user:pass@host:5432/db?history=free|preserving&schema=name&pool=n}
 * URI says. The password may instead come from a file ({@code password-file=/path}) or an
 * environment variable ({@code password-env=NAME}), so it need not be written in the URI.
 *
 * @param history true preserving, false free, null "whatever the schema already is
 *                (history-preserving for a new one)"
 * @param create  false ({@code create=false}): a schema that does not exist is an error, no table is created
 */
record PgConfig(
        String name,
        String host,
        int port,
        String database,
        String user,
        String password,
        String schema,
        Boolean history,
        int poolSize,
        boolean create,
        long cacheBytes) {

    static final Set<String> PARAMS = Set.of("history", "schema", "pool", "password-file", "password-env", "cache-mb");
    static final String USAGE =
            "postgres://user:pass@host:5432/db?history=free|preserving&schema=name&pool=n&cache-mb=n";
    /** The process-wide record cache's default size ({@code cache-mb}), as the cairn:// client's. */
    static final int DEFAULT_CACHE_MB = 64;

    static PgConfig parse(StorageUri uri) {
        uri.requireOnlyParams(PARAMS);
        String text = uri.redacted();
        String authority = uri.authority();
        if (authority == null || authority.isEmpty()) {
            throw new InvalidStorageUriException(text, "no host; expected " + USAGE);
        }
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? null : authority.substring(0, at);
        String hostPort = at < 0 ? authority : authority.substring(at + 1);
        String user = "postgres";
        String password = null;
        if (userInfo != null) {
            int c = userInfo.indexOf(':');
            user = decode(c < 0 ? userInfo : userInfo.substring(0, c));
            password = c < 0 ? null : decode(userInfo.substring(c + 1));
        }
        String file = uri.params().get("password-file");
        String env = uri.params().get("password-env");
        if ((file != null ? 1 : 0) + (env != null ? 1 : 0) + (password != null ? 1 : 0) > 1) {
            throw new InvalidStorageUriException(
                    text,
                    "the password is given more than once (in the URI, password-file=, password-env=);"
                            + " give it one way");
        }
        try {
            if (file != null)
                password = org.cairndb.storage.uri.Secrets.fromFile(java.nio.file.Path.of(file), "password-file");
            if (env != null) password = org.cairndb.storage.uri.Secrets.fromEnv(env, "password-env");
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new InvalidStorageUriException(text, e.getMessage());
        }
        String host = hostPort;
        int port = 5432;
        int colon = hostPort.lastIndexOf(':');
        if (colon >= 0 && !hostPort.endsWith("]")) {
            host = hostPort.substring(0, colon);
            String p = hostPort.substring(colon + 1);
            try {
                port = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new InvalidStorageUriException(text, "port '" + p + "' is not a number; expected e.g. host:5432");
            }
            if (port < 1 || port > 65535)
                throw new InvalidStorageUriException(text, "port " + port + " is out of range 1..65535");
        }
        if (host.isEmpty()) throw new InvalidStorageUriException(text, "no host; expected " + USAGE);
        String path = uri.path();
        String db = path.startsWith("/") ? path.substring(1) : path;
        if (db.isEmpty() || db.contains("/")) {
            throw new InvalidStorageUriException(text, "expected one database name after the host, e.g. " + USAGE);
        }
        Boolean history = null;
        String h = uri.params().get("history");
        if (h != null) {
            switch (h.toLowerCase(Locale.ROOT)) {
                case "free" -> history = false;
                case "preserving" -> history = true;
                default ->
                    throw new InvalidStorageUriException(
                            text, "history='" + h + "' is not known; use history=free or history=preserving");
            }
        }
        String schema = uri.param("schema", "cairn");
        if (!schema.matches("[a-z_][a-z0-9_]{0,50}")) {
            throw new InvalidStorageUriException(
                    text,
                    "schema='" + schema + "' is not a plain lower-case SQL name"
                            + " (letters, digits, underscore; at most 51 characters), e.g. schema=cairn");
        }
        int pool = 10;
        String ps = uri.params().get("pool");
        if (ps != null) {
            try {
                pool = Integer.parseInt(ps);
            } catch (NumberFormatException e) {
                pool = -1;
            }
            if (pool < 2 || pool > 1000) {
                throw new InvalidStorageUriException(
                        text, "pool='" + ps + "' must be a number of connections in 2..1000");
            }
        }
        int cacheMb = DEFAULT_CACHE_MB;
        String cm = uri.params().get("cache-mb");
        if (cm != null) {
            try {
                cacheMb = Integer.parseInt(cm);
            } catch (NumberFormatException e) {
                cacheMb = -1;
            }
            if (cacheMb < 0 || cacheMb > (1 << 20)) {
                throw new InvalidStorageUriException(
                        text,
                        "cache-mb='" + cm + "' must be a size in MiB in 0..1048576 (0 turns the record cache off)");
            }
        }
        return new PgConfig(
                text,
                host,
                port,
                decode(db),
                user,
                password,
                schema,
                history,
                pool,
                uri.mayCreate(),
                cacheMb * (1L << 20));
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** Names the database and schema, never the user or password: the key of the process's shared record cache. */
    String cacheIdentity() {
        return "postgres://" + host + ":" + port + "/" + database + "#" + schema;
    }

    String where() {
        return "database '" + database + "' on " + host + ":" + port;
    }
}
