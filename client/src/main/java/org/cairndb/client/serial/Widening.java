package org.cairndb.client.serial;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * The conversions a stored field value undergoes when its field's type was widened: those
 * that lose nothing ({@code byte/short/char -> int -> long}, {@code int -> double},
 * {@code float -> double}, integers to {@code BigInteger}/{@code BigDecimal}), and boxing and
 * unboxing. {@code long -> double} and {@code int -> float} are refused: they round.
 */
final class Widening {
    private Widening() {}

    private static final Map<Class<?>, Class<?>> BOXES = Map.of(
            int.class,
            Integer.class,
            long.class,
            Long.class,
            double.class,
            Double.class,
            float.class,
            Float.class,
            short.class,
            Short.class,
            byte.class,
            Byte.class,
            char.class,
            Character.class,
            boolean.class,
            Boolean.class);

    static Class<?> box(Class<?> c) {
        return c.isPrimitive() ? BOXES.get(c) : c;
    }

    /** {@code value} converted to {@code declared} without loss, or null when it cannot be. */
    static Object widen(Object value, Class<?> declared) {
        Class<?> to = box(declared);
        if (to.isInstance(value)) return value;
        long integral;
        if (value instanceof Character ch) {
            integral = ch;
        } else if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
            integral = ((Number) value).longValue();
        } else if (value instanceof Float fl) {
            return to == Double.class
                    ? (Object) fl.doubleValue()
                    : to == BigDecimal.class ? new BigDecimal(fl.toString()) : null;
        } else if (value instanceof Long l) {
            return to == BigInteger.class
                    ? BigInteger.valueOf(l)
                    : to == BigDecimal.class ? BigDecimal.valueOf(l) : null;
        } else {
            return null;
        }
        int bits = value instanceof Byte ? 8 : value instanceof Integer ? 32 : 16;
        if (to == Long.class) return integral;
        if (to == Integer.class && bits < 32) return (int) integral;
        if (to == Short.class && bits == 8) return (short) integral;
        if (to == Double.class) return (double) integral;
        if (to == Float.class && bits < 32) return (float) integral;
        if (to == BigInteger.class) return BigInteger.valueOf(integral);
        if (to == BigDecimal.class) return BigDecimal.valueOf(integral);
        return null;
    }
}
