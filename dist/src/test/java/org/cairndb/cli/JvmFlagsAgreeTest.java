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
 * The JVM options are defined once, in the root pom's {@code cairn.jvm.*} properties. Surefire and
 * the tests' child JVMs get them as Maven properties; storage-api's build filters them into
 * {@code jvm-options.properties}, which {@link ChronicleJvm}, bin/cairn and the distribution's
 * launcher read. This test proves that path end to end from the compiled {@link ChronicleJvm} and
 * the surefire-passed {@code cairn.jvm.flags}, that no launcher or pom spells a list of its own,
 * and that the two copies that cannot read the pom (README and consumer-example, a project outside
 * the build) say the same.
 */
class JvmFlagsAgreeTest {

    private static final Path ROOT =
            Path.of(System.getProperty("basedir", ".")).resolve("..").normalize();

    @Test
    void chronicleJvmReadsTheListsOfTheRootPom() throws IOException {
        String pom = read("pom.xml");
        assertThat(words(only(pom, "<cairn\\.jvm\\.required>([^<]*)</cairn\\.jvm\\.required>")))
                .as("ChronicleJvm.REQUIRED_OPTIONS (from jvm-options.properties) vs the root pom")
                .containsExactlyElementsOf(ChronicleJvm.REQUIRED_OPTIONS);
        assertThat(words(only(pom, "<cairn\\.jvm\\.cleaner>([^<]*)</cairn\\.jvm\\.cleaner>")))
                .containsExactlyElementsOf(ChronicleJvm.CLEANER_OPTIONS);
        assertThat(words(only(pom, "<cairn\\.jvm\\.jdk24>([^<]*)</cairn\\.jvm\\.jdk24>")))
                .containsExactlyElementsOf(ChronicleJvm.JDK24_OPTIONS);
        assertThat(ChronicleJvm.REQUIRED_OPTIONS).hasSize(4).allMatch(o -> o.matches("--add-(exports|opens)=\\S+"));
    }

    @Test
    void surefirePassesTheRequiredAndCleanerOptions() {
        List<String> passed = words(System.getProperty("cairn.jvm.flags", ""));
        assertThat(passed)
                .as("cairn.jvm.flags as surefire passes it to the tests")
                .containsAll(ChronicleJvm.REQUIRED_OPTIONS)
                .containsAll(ChronicleJvm.CLEANER_OPTIONS)
                .noneMatch(w -> w.contains("${") || w.contains("@{"));
        assertThat(ChronicleJvm.missingOptions())
                .as("options missing from this test JVM")
                .isEmpty();
    }

    @Test
    void launchersReadTheBuiltListAndSpellNoneOfTheirOwn() throws IOException {
        for (String launcher : List.of("bin/cairn", "dist/src/dist/bin/cairn")) {
            String text = read(launcher);
            assertThat(text)
                    .as(launcher)
                    .contains("jvm-options.properties")
                    .contains("jvm_option required")
                    .contains("jvm_option cleaner")
                    .contains("jvm_option jdk24")
                    .doesNotContain("--add-")
                    .doesNotContain("--enable-native-access");
        }
        assertThat(read("dist/src/assembly/tarball.xml"))
                .as("the distribution ships the filtered list beside its jars")
                .containsPattern(
                        "<source>\\.\\./storage-api/src/main/resources/org/cairndb/storage/spi/jvm-options\\.properties</source>"
                                + "<outputDirectory>lib</outputDirectory><filtered>true</filtered>");
    }

    @Test
    void buildPomsUseTheProperties() throws IOException {
        String root = read("pom.xml");
        assertThat(root).contains("<cairn.jvm.flags>${cairn.jvm.required} ${cairn.jvm.cleaner}</cairn.jvm.flags>");
        assertThat(only(root, "<cairn\\.jvm\\.extra\\.flags>(\\$[^<]*)</cairn\\.jvm\\.extra\\.flags>"))
                .isEqualTo("${cairn.jvm.jdk24}");
        assertThat(root).contains("<argLine>@{argLine} ${cairn.jvm.flags} ${cairn.jvm.extra.flags}");
        String dist = read("dist/pom.xml");
        assertThat(dist).contains("<commandlineArgs>${cairn.jvm.flags} ").doesNotContain("--add-");
    }

    @Test
    void copiesOutsideTheBuildSayTheSame() throws IOException {
        List<String> consumer = new ArrayList<>();
        Matcher m = Pattern.compile("<argument>(--add-[^<]*)</argument>").matcher(read("consumer-example/pom.xml"));
        while (m.find()) consumer.add(m.group(1));
        assertThat(consumer)
                .as("exec arguments in consumer-example/pom.xml")
                .containsExactlyElementsOf(ChronicleJvm.REQUIRED_OPTIONS);

        String readme = read("README.md");
        List<String> listed = new ArrayList<>();
        for (String line : readme.split("\n")) {
            if (line.matches("--add-(exports|opens)=\\S+")) listed.add(line);
        }
        assertThat(listed)
                .as("the option block in README's \"JVM options\"")
                .containsExactlyElementsOf(ChronicleJvm.REQUIRED_OPTIONS);
        assertThat(readme.replaceAll("\\s+", " "))
                .contains(String.join(" ", ChronicleJvm.CLEANER_OPTIONS))
                .contains(String.join(" ", ChronicleJvm.JDK24_OPTIONS));
    }

    private static String only(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("a match for " + regex).isTrue();
        String found = m.group(1);
        assertThat(m.find()).as("only one match for " + regex).isFalse();
        return found;
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }

    private static String read(String relative) throws IOException {
        return Files.readString(ROOT.resolve(relative), StandardCharsets.UTF_8);
    }
}
