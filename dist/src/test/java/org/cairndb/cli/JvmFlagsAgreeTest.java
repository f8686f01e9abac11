package org.cairndb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cairndb.storage.spi.ChronicleJvm;
import org.junit.jupiter.api.Test;

/**
 * The JVM options Chronicle Map needs are written in several places that cannot read one another
 * (two bash launchers, Maven properties and exec arguments, the README, and {@link ChronicleJvm},
 * whose list the start-up check and its error message use). {@link ChronicleJvm#REQUIRED_OPTIONS}
 * is the reference; this test fails when any other place says something else, so a change to the
 * flag set has to be made everywhere at once.
 */
class JvmFlagsAgreeTest {

    /** Not required: only silences Chronicle's warning about its buffer cleaner. */
    private static final String CLEANER = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    /** JDK 24+ only: silence the JDK's warnings about jffi (used by Chronicle). */
    private static final List<String> JDK24_EXTRAS =
            List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("..").normalize();

    private static List<String> withCleaner() {
        List<String> all = new ArrayList<>(ChronicleJvm.REQUIRED_OPTIONS);
        all.add(CLEANER);
        return all;
    }

    @Test
    void rootPomPropertyPassesTheRequiredOptionsAndTheCleanerOne() throws IOException {
        String pom = read("pom.xml");
        assertThat(words(only(pom, "<cairn\\.jvm\\.flags>(--[^<]*)</cairn\\.jvm\\.flags>")))
                .as("cairn.jvm.flags in the root pom").containsExactlyElementsOf(withCleaner());
        assertThat(words(only(pom, "<cairn\\.jvm\\.extra\\.flags>(--[^<]*)</cairn\\.jvm\\.extra\\.flags>")))
                .as("cairn.jvm.extra.flags in the root pom's jdk24plus profile").containsExactlyElementsOf(JDK24_EXTRAS);
    }

    @Test
    void bothLaunchersPassTheSameOptions() throws IOException {
        for (String launcher : List.of("bin/cairn", "dist/src/dist/bin/cairn")) {
            String text = read(launcher);
            assertThat(words(only(text, "\\bflags=\\(([^)]*)\\)")))
                    .as("flags=(...) in " + launcher).containsExactlyElementsOf(withCleaner());
            assertThat(words(only(text, "\\bflags\\+=\\((--enable-native-access[^)]*)\\)")))
                    .as("JDK 24+ flags in " + launcher).containsExactlyElementsOf(JDK24_EXTRAS);
        }
    }

    @Test
    void execArgumentsInPomsPassTheSameOptions() throws IOException {
        assertThat(addArguments(read("dist/pom.xml")))
                .as("exec arguments in dist/pom.xml").containsExactlyElementsOf(withCleaner());
        assertThat(addArguments(read("consumer-example/pom.xml")))
                .as("exec arguments in consumer-example/pom.xml")
                .containsExactlyElementsOf(ChronicleJvm.REQUIRED_OPTIONS);
    }

    @Test
    void readmeListsTheRequiredOptionsAndNamesTheOptionalOnes() throws IOException {
        String readme = read("README.md");
        List<String> listed = new ArrayList<>();
        for (String line : readme.split("\n")) {
            if (line.matches("--add-(exports|opens)=\\S+")) {
                listed.add(line);
            }
        }
        assertThat(listed).as("the option block in README's \"JVM options\"")
                .containsExactlyElementsOf(ChronicleJvm.REQUIRED_OPTIONS);
        assertThat(readme.replaceAll("\\s+", " ")).contains(CLEANER).contains(String.join(" ", JDK24_EXTRAS));
    }

    private static List<String> addArguments(String pom) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("<argument>(--add-[^<]*)</argument>").matcher(pom);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String only(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("a match for " + regex).isTrue();
        String found = m.group(1);
        assertThat(m.find()).as("only one match for " + regex).isFalse();
        return found;
    }

    private static List<String> words(String s) {
        return Arrays.asList(s.trim().split("\\s+"));
    }

    private static String read(String relative) throws IOException {
        return Files.readString(ROOT.resolve(relative), StandardCharsets.UTF_8);
    }
}
