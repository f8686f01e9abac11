package org.cairndb.protocol;

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
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md is the reference of the protocol: its table of ops must list exactly the
 * codes and names of {@link Op}, in order, so neither can change without the other.
 */
class ProtocolDocTest {
    private static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\| ([A-Z_]+) \\|");

    @Test
    void theOpTableOfTheDocIsTheOpEnum() throws IOException {
        Path doc = Path.of("..", "docs", "protocol.md");
        List<String> documented = new ArrayList<>();
        for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
            Matcher m = ROW.matcher(line);
            if (m.find()) documented.add(m.group(1) + " " + m.group(2));
        }
        List<String> code = Arrays.stream(Op.values())
                .map(op -> (op.code & 0xFF) + " " + op.name())
                .toList();
        assertThat(documented)
                .as("rows `| code | NAME |` of the op table in docs/protocol.md")
                .isEqualTo(code);
    }
}
