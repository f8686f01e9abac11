package org.cairndb.storage.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.cairndb.storage.StorageException;

/**
 * Prepares the JVM for Chronicle Map before any Chronicle class initializes: Chronicle holds
 * the records of {@code mem:} storages (storage-mapping) and the {@code cairn://} client's
 * persistent cache (client). Both call {@link #prepare(String)} first thing when they open.
 *
 * <h2>Design note</h2>
 * <p><b>Options.</b> Chronicle reaches into JDK internals. Measured with a program that opens
 * {@code mem:} and {@code mem:/path}, commits and reads (JDK 17.0 and 25), it fails without
 * exactly these four ({@link #REQUIRED_OPTIONS}); {@code jdk.internal.ref} and
 * {@code jdk.internal.util}, which older instructions add, are not needed ({@code jdk.internal.ref}
 * only silences a warning of Chronicle's buffer cleaner, which falls back to
 * {@code Unsafe.invokeCleaner}). Without them Chronicle fails inside a static initializer
 * ({@code ExceptionInInitializerError}, after which its classes stay unusable in that JVM), so
 * {@link #prepare} checks them first and fails with one message saying which options to add and
 * where. The check asks the JDK modules whether the packages are exported/opened to Cairn's own
 * module (the unnamed module on a class path, as Chronicle is). The lists are defined once, in the
 * root pom's {@code cairn.jvm.*} properties; the build writes them into {@code jvm-options.properties}
 * beside this class, which the launchers read too.
 *
 * <p><b>Telemetry.</b> Chronicle sends usage analytics to a third-party host and writes
 * {@code ~/.chronicle.analytics.*} unless {@code chronicle.analytics.disable} is set when its
 * classes initialize; it also prints a banner unless {@code chronicle.announcer.disable} is set.
 * This class sets both (unless the application set them itself) in its static initializer, which
 * runs before {@link #prepare} returns, so before any Chronicle class initializes in that process.
 *
 * <p>It lives in storage-api because the two modules that use Chronicle have only storage-api in
 * common; it loads no Chronicle class.
 */
public final class ChronicleJvm {
    /** Where the build writes the JVM options (from the root pom's {@code cairn.jvm.*}), beside this class. */
    static final String OPTIONS_RESOURCE = "jvm-options.properties";

    /** The JVM options Chronicle Map needs, in the form of a java command line. */
    public static final List<String> REQUIRED_OPTIONS = options("required");

    /** Options that only silence warnings: Chronicle's buffer cleaner (any JDK). */
    public static final List<String> CLEANER_OPTIONS = options("cleaner");

    /** Options that only silence the warnings of JDK 24 and later about jffi (used by Chronicle). */
    public static final List<String> JDK24_OPTIONS = options("jdk24");

    /** The system properties that keep Chronicle from sending analytics and printing its banner. */
    public static final List<String> TELEMETRY_PROPERTIES =
            List.of("chronicle.analytics.disable", "chronicle.announcer.disable");

    static {
        for (String p : TELEMETRY_PROPERTIES) {
            if (System.getProperty(p) == null) System.setProperty(p, "true");
        }
    }

    private ChronicleJvm() {}

    /** One space-separated list of {@link #OPTIONS_RESOURCE}; a build that did not fill it in is a broken jar. */
    private static List<String> options(String key) {
        Properties p = new Properties();
        try (InputStream in = ChronicleJvm.class.getResourceAsStream(OPTIONS_RESOURCE)) {
            if (in == null)
                throw new IllegalStateException(OPTIONS_RESOURCE + " is missing beside " + ChronicleJvm.class.getName()
                        + "; rebuild storage-api");
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + OPTIONS_RESOURCE + "; rebuild storage-api", e);
        }
        String value = p.getProperty(key, "").trim();
        if (value.isEmpty() || value.contains("${")) {
            throw new IllegalStateException(
                    OPTIONS_RESOURCE + " has no filled-in '" + key + "' list; rebuild storage-api with Maven");
        }
        return List.of(value.split("\\s+"));
    }

    /**
     * Called before the first use of Chronicle Map; checks the JVM options and fails with one
     * message that lists them and where to put them.
     *
     * @param what what is being opened, for the message (e.g. {@code "mem:/data/books.cairn"})
     * @throws StorageException when an option is missing
     */
    public static void prepare(String what) {
        List<String> missing = missingOptions();
        if (!missing.isEmpty()) throw new StorageException(message(what, missing));
    }

    /** The options of {@link #REQUIRED_OPTIONS} this JVM was started without. */
    public static List<String> missingOptions() {
        Module cairn = ChronicleJvm.class.getModule();
        List<String> missing = new ArrayList<>();
        for (String option : REQUIRED_OPTIONS) {
            boolean opens = option.startsWith("--add-opens=");
            String target = option.substring(option.indexOf('=') + 1, option.lastIndexOf('='));
            String moduleName = target.substring(0, target.indexOf('/'));
            String pkg = target.substring(target.indexOf('/') + 1);
            Optional<Module> module = ModuleLayer.boot().findModule(moduleName);
            if (module.isEmpty()) continue; // e.g. a runtime image without jdk.compiler: nothing to export
            boolean granted =
                    opens ? module.get().isOpen(pkg, cairn) : module.get().isExported(pkg, cairn);
            if (!granted) missing.add(option);
        }
        return missing;
    }

    static String message(String what, List<String> missing) {
        String all = String.join(" ", REQUIRED_OPTIONS);
        String lack = missing.size() == REQUIRED_OPTIONS.size()
                ? "this JVM was started without the JVM options Chronicle Map needs: " + all
                : "this JVM lacks " + String.join(" ", missing) + " of the options Chronicle Map needs: " + all;
        return "cannot open " + what + " (its records live in Chronicle Map): " + lack
                + ". Put them on the java command line, in JAVA_TOOL_OPTIONS, in Surefire's <argLine>, in exec-maven-plugin's"
                + " <arguments> (exec:exec) or MAVEN_OPTS (exec:java), or in an executable jar's manifest as"
                + " 'Add-Exports: java.base/sun.nio.ch jdk.compiler/com.sun.tools.javac.file' and"
                + " 'Add-Opens: java.base/java.lang java.base/java.lang.reflect' (README, \"JVM options\")";
    }
}
