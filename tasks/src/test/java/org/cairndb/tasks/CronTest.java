package org.cairndb.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronTest {
    static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void nextMatchesCrontab() {
        assertThat(Cron.parse("*/5 * * * *").next(at("2026-12-07T21:02:30Z"))).isEqualTo(at("2026-12-07T21:05:00Z"));
        assertThat(Cron.parse("0 3 * * *").next(at("2026-12-07T03:00:00Z"))).isEqualTo(at("2026-12-08T03:00:00Z"));
        assertThat(Cron.parse("30 9 * * 1-5").next(at("2026-12-05T10:00:00Z")))
                .isEqualTo(at("2026-12-07T09:30:00Z")); // Sat → Mon
        assertThat(Cron.parse("0 0 29 2 *").next(at("2026-03-01T00:00:00Z"))).isEqualTo(at("2028-02-29T00:00:00Z"));
        assertThat(Cron.parse("0 12 1 * 0").next(at("2026-12-07T00:00:00Z")))
                .isEqualTo(at("2026-12-13T12:00:00Z")); // a Sunday, or the 1st
        assertThat(Cron.parse("15,45 8-9 * * 7").next(at("2026-12-13T08:20:00Z")))
                .isEqualTo(at("2026-12-13T08:45:00Z"));
    }

    @Test
    void badExpressionsSayWhatIsWrong() {
        assertThatThrownBy(() -> Cron.parse("* * *")).hasMessageContaining("needs 5 fields");
        assertThatThrownBy(() -> Cron.parse("61 * * * *")).hasMessageContaining("61 is outside 0-59");
        assertThatThrownBy(() -> Cron.parse("0 0 31 2 *").next(0)).hasMessageContaining("never matches");
    }
}
