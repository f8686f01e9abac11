package org.cairndb.client.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class WideningTest {
    @Test
    void lossless_widenings_andBoxing() {
        assertThat(Widening.widen(7, long.class)).isEqualTo(7L);
        assertThat(Widening.widen(7, Long.class)).isEqualTo(7L);
        assertThat(Widening.widen(7, Integer.class)).isEqualTo(7);
        assertThat(Widening.widen(7, double.class)).isEqualTo(7d);
        assertThat(Widening.widen((short) 7, int.class)).isEqualTo(7);
        assertThat(Widening.widen((byte) 7, short.class)).isEqualTo((short) 7);
        assertThat(Widening.widen('A', int.class)).isEqualTo(65);
        assertThat(Widening.widen(1.5f, double.class)).isEqualTo(1.5d);
        assertThat(Widening.widen(7L, BigInteger.class)).isEqualTo(BigInteger.valueOf(7));
        assertThat(Widening.widen(7, BigDecimal.class)).isEqualTo(BigDecimal.valueOf(7));
    }

    @Test
    void narrowing_rounding_andUnrelated_areRefused() {
        assertThat(Widening.widen(7L, int.class)).isNull();
        assertThat(Widening.widen(7L, double.class)).isNull(); // rounds above 2^53
        assertThat(Widening.widen(7, float.class)).isNull(); // rounds above 2^24
        assertThat(Widening.widen('A', short.class)).isNull(); // char is unsigned
        assertThat(Widening.widen("7", int.class)).isNull();
        assertThat(Widening.widen(1.5d, float.class)).isNull();
    }
}
