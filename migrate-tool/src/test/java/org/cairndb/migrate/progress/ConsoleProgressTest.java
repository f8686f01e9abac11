package org.cairndb.migrate.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.cairndb.migrate.TransferResult;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
    final AtomicLong clock = new AtomicLong();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plain_printsWhenASecondHasPassedOrEnoughRecords_neverInBetween() {
        ConsoleProgress p = ConsoleProgress.plain(out, "copy", 1_000_000_000L, 1000, clock::get);
        clock.set(100_000_000L);
        p.update(1, 10, 0.01);
        assertThat(text()).isEmpty();
        clock.set(1_100_000_000L); // a second after the start
        p.update(2, 20, 0.02);
        assertThat(text().lines()).hasSize(1);
        assertThat(text())
                .startsWith("copy:   2% 20 records, 2 transactions")
                .contains("records/s")
                .contains("ETA");
        clock.set(1_200_000_000L);
        p.update(3, 500, 0.5);
        assertThat(text().lines()).hasSize(1);
        p.update(4, 1020, 0.6); // 1000 records since the last line
        assertThat(text().lines()).hasSize(2);
        p.done(new TransferResult(4, 1020, 0, 0, false, Duration.ofSeconds(2)));
        assertThat(text().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("copy: done: 4 transactions, 1020 records");
    }

    @Test
    void stopped_saysSo() {
        ConsoleProgress p = ConsoleProgress.plain(out, "import", 1_000_000_000L, 1000, clock::get);
        p.done(new TransferResult(3, 30, 0, 0, true, Duration.ofSeconds(1)));
        assertThat(text()).contains("import: stopped cleanly: stopped after 3 transactions");
    }

    @Test
    void bar_andDuration_format() {
        assertThat(ConsoleProgress.bar(0.5)).isEqualTo("[###############...............]  50%");
        assertThat(ConsoleProgress.bar(-1)).contains("?%");
        assertThat(ConsoleProgress.duration(83)).isEqualTo("1:23");
        assertThat(ConsoleProgress.duration(3723)).isEqualTo("1:02:03");
    }
}
