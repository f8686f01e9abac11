package org.cairndb.storage.uri;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Reads a secret (a shared secret, a key store or database password) from where an operator
 * keeps it: a file or an environment variable, so that it need not appear on a command line
 * or in a URI (both visible to other users of the machine). The value is stripped of
 * surrounding whitespace (a trailing newline from {@code echo}); an empty one is refused, since
 * an empty secret would silently mean "no secret". Messages name the file or variable, never
 * the value.
 */
public final class Secrets {
    private Secrets() {}

    /** The secret in {@code file}; {@code what} names it in messages (e.g. "--secret-file"). */
    public static String fromFile(Path file, String what) {
        String s;
        try {
            s = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        return nonBlank(s, what + " " + file + " is empty (or only whitespace); put the secret in it");
    }

    /** The secret in environment variable {@code name}. */
    public static String fromEnv(String name, String what) {
        return fromEnv(name, what, System::getenv);
    }

    static String fromEnv(String name, String what, Function<String, String> env) {
        String s = env.apply(name);
        if (s == null) throw new IllegalArgumentException(what + ": environment variable " + name + " is not set");
        return nonBlank(s, what + ": environment variable " + name + " is empty (or only whitespace); put the secret in it");
    }

    /** {@code s} stripped; refused with {@code message} when nothing is left. */
    public static String nonBlank(String s, String message) {
        String v = s == null ? "" : s.strip();
        if (v.isEmpty()) throw new IllegalArgumentException(message);
        return v;
    }
}
