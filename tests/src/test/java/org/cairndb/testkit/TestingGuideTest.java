package org.cairndb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/testing.md shows the guide's example exactly as it is compiled and run here. */
class TestingGuideTest {
    private static final Path DOC = Path.of("..", "docs", "testing.md");
    private static final Path GUIDE = Path.of("src", "test", "java", "org", "cairndb", "testkit", "guide");

    @Test
    void guide_showsTheExampleAsWritten() throws IOException {
        List<String> blocks = javaBlocks(Files.readString(DOC));
        assertThat(blocks).as("java code blocks in %s", DOC).hasSize(2);
        assertThat(blocks.get(0))
                .isEqualTo(Files.readString(GUIDE.resolve("TagSet.java")).strip());
        assertThat(blocks.get(1))
                .isEqualTo(Files.readString(GUIDE.resolve("TagSetConflictTest.java"))
                        .strip());
    }

    private static List<String> javaBlocks(String markdown) {
        List<String> out = new ArrayList<>();
        int at = 0;
        while ((at = markdown.indexOf("```java\n", at)) >= 0) {
            int start = at + "```java\n".length();
            int end = markdown.indexOf("\n```", start);
            out.add(markdown.substring(start, end).strip());
            at = end;
        }
        return out;
    }
}
