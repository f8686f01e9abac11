package org.cairndb.storage.uri;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets, the one place for them: where they come from, and hiding them before text reaches
 * a user.
 *
 * <h2>Reading</h2>
 * {@link #fromFile} and {@link #fromEnv} read a secret (a shared secret, a key store or
 * database password) from where an operator keeps it, so that it need not appear on a command
 * line or in a URI (both visible to other users of the machine). The value is stripped of
 * surrounding whitespace (a trailing newline from {@code echo}); an empty one is refused, since
 * an empty secret would silently mean "no secret". Messages name the file or variable, never
 * the value.
 *
 * <h2>Hiding</h2>
 * Every error message, log line, status output and export header that may hold a storage URI
 * goes through {@link #mask}. It replaces with {@code ***}
 * <ul>
 * <li>the password of a URI's userinfo ({@code scheme://user:PASSWORD@host});</li>
 * <li>the value of any parameter named like a secret ({@code secret}, {@code password},
 *     {@code tls-password}, {@code passwd}, {@code pwd}, {@code token}, {@code apikey} and any
 *     name containing one of those), as a URI query parameter ({@code ?secret=...&}) or a
 *     {@code name=value} / {@code --name value} / {@code --name=value} pair in free text.</li>
 * </ul>
 * It works on free text (a URI may be quoted inside a driver's message), so it needs no
 * parse and never fails; it errs on the side of hiding (a parameter named {@code tokens}
 * is not spared).
 */
public final class Secrets {
    private Secrets() {}

    static final String MASK = "***";

    /** scheme://user:password@ — the password, up to the last '@' before the host. */
    private static final Pattern USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^/?#@\\s:]*:)([^\\s/?#]*)@");

    /** name=value where the name looks like a secret; the value runs to '&', whitespace, quote or end. */
    private static final Pattern PARAM = Pattern.compile(
            "(?i)((?:^|[?&\\s;,(\\[{\"'-])[A-Za-z0-9_.-]*(?:secret|password|passwd|pwd|token|apikey|api-key|api_key)[A-Za-z0-9_.-]*\\s*[=:]\\s*)([^&\\s\"',;)\\]}]+)");

    /** --secret-file is a path, not a secret; every other --...password/secret VALUE is hidden. */
    private static final Pattern OPTION = Pattern.compile(
            "(?i)(--[A-Za-z0-9-]*(?:secret|password|passwd|token)(?![A-Za-z0-9-]*-file)[A-Za-z0-9-]*\\s+)(\\S+)");

    /** {@code text} with every secret replaced by {@code ***}; null stays null. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) return text;
        String s = replace(USERINFO, text);
        s = replace(PARAM, s);
        return replace(OPTION, s);
    }

    private static String replace(Pattern p, String s) {
        Matcher m = p.matcher(s);
        StringBuilder b = null;
        int last = 0;
        while (m.find()) {
            if (m.group(2).equals(MASK)) continue;
            if (b == null) b = new StringBuilder(s.length());
            int end = m.end(2);
            // "...?secret=X: cannot connect": the ':' ends the URI in a message, it is not part of the value
            if (s.charAt(end - 1) == ':'
                    && end - 1 > m.start(2)
                    && (end == s.length() || Character.isWhitespace(s.charAt(end)))) end--;
            b.append(s, last, m.start(2)).append(MASK);
            last = end;
        }
        if (b == null) return s;
        return b.append(s, last, s.length()).toString();
    }

    /** A throwable's message, masked; its class name when it has none. */
    public static String message(Throwable t) {
        String m = t.getMessage();
        return mask(m == null || m.isBlank() ? t.getClass().getSimpleName() : m);
    }

    /** The secret in {@code file}; {@code what} names it in messages (e.g. "--secret-file"). */
    public static String fromFile(Path file, String what) {
        String s;
        try {
            s = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            // an ordinary error (exit 1), not a bad argument: the CLI names the missing file once
            throw new java.io.UncheckedIOException(what + ": no such file: " + file, e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(
                    what + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
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
        return nonBlank(
                s, what + ": environment variable " + name + " is empty (or only whitespace); put the secret in it");
    }

    /** {@code s} stripped; refused with {@code message} when nothing is left. */
    public static String nonBlank(String s, String message) {
        String v = s == null ? "" : s.strip();
        if (v.isEmpty()) throw new IllegalArgumentException(message);
        return v;
    }
}
