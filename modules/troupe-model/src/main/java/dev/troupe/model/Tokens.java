package dev.troupe.model;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An exact amount of Givon tokens, held as whole milli-tokens. Prices such as 5.5 or 6.4 tokens
 * per second stay exact; doubles never touch money.
 */
public record Tokens(long milli) implements Comparable<Tokens> {

    public static final Tokens ZERO = new Tokens(0);

    public static Tokens ofMilli(long milli) {
        return new Tokens(milli);
    }

    public static Tokens of(long wholeTokens) {
        return new Tokens(Math.multiplyExact(wholeTokens, 1000L));
    }

    /**
     * Longest text {@link #parse} reads (after trimming): the largest amount, sign, point, three
     * decimals and an exponent fit many times over, while nothing longer can cost more than
     * microseconds to look at.
     */
    public static final int MAX_DECIMAL_CHARS = 64;
    /** Digits before the point of the largest amount ({@code Long.MAX_VALUE} milli-tokens = 9,223,372,036,854,775.807 tokens). */
    private static final int MAX_INTEGER_DIGITS = 16;
    /** Significant digits {@link #fromDecimal} looks at: a longer value is refused before any scaling. */
    private static final int MAX_PRECISION = MAX_DECIMAL_CHARS;
    private static final int SHOWN_CHARS = 20;

    /**
     * Parses a decimal such as {@code "7"}, {@code "5.5"} or {@code "1.5e2"}; more than three decimals is
     * an error, not a rounding. Hostile text is refused in microseconds: at most {@value #MAX_DECIMAL_CHARS}
     * characters, and the magnitude is checked before any scaling (so {@code 1e1000000} costs nothing).
     *
     * @throws IllegalArgumentException when the text is not a decimal, too long, has more than three
     *                                  decimals or is out of range; the message quotes at most a prefix of it
     */
    public static Tokens parse(String decimal) {
        if (decimal == null) {
            throw new IllegalArgumentException("token amount is missing");
        }
        String text = decimal.trim();
        if (text.length() > MAX_DECIMAL_CHARS) {
            throw new IllegalArgumentException("token amount '" + shown(text) + "' has " + text.length()
                    + " characters; at most " + MAX_DECIMAL_CHARS + " are read");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("token amount '" + text + "' is not a decimal number", e);
        }
        return fromDecimal(value);
    }

    /**
     * The exact amount {@code value} denotes, checked for range and precision before any scaling, so a
     * value such as {@code 1E+1000000} is refused at once instead of being expanded.
     *
     * @throws IllegalArgumentException when it has more than three decimals, too many digits or is out of range
     */
    public static Tokens fromDecimal(BigDecimal value) {
        if (value.signum() == 0) {
            return ZERO;
        }
        // precision - scale is the number of digits before the point (<= 0 below 1): no scaling needed to know it.
        long integerDigits = (long) value.precision() - value.scale();
        if (integerDigits > MAX_INTEGER_DIGITS) {
            throw new IllegalArgumentException("token amount of about 1E+" + (integerDigits - 1) + " is out of range");
        }
        if (value.precision() > MAX_PRECISION) {
            throw new IllegalArgumentException("token amount with " + value.precision() + " significant digits is out of range"
                    + " (at most " + MAX_PRECISION + " are read)");
        }
        // Within these bounds every step below works on at most a few dozen digits.
        BigDecimal exact = value.stripTrailingZeros();
        if (exact.scale() > 3) {
            throw new IllegalArgumentException("token amount '" + shown(exact.toString()) + "' has more than 3 decimals");
        }
        try {
            return new Tokens(exact.movePointRight(3).setScale(0, RoundingMode.UNNECESSARY).longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("token amount '" + exact + "' is out of range", e);
        }
    }

    private static String shown(String text) {
        return text.length() <= SHOWN_CHARS ? text : text.substring(0, SHOWN_CHARS) + "…";
    }

    public Tokens plus(Tokens other) {
        return new Tokens(Math.addExact(milli, other.milli));
    }

    public Tokens minus(Tokens other) {
        return new Tokens(Math.subtractExact(milli, other.milli));
    }

    public Tokens times(long factor) {
        return new Tokens(Math.multiplyExact(milli, factor));
    }

    public boolean isNegative() {
        return milli < 0;
    }

    public boolean exceeds(Tokens other) {
        return milli > other.milli;
    }

    public static Tokens max(Tokens a, Tokens b) {
        return a.milli >= b.milli ? a : b;
    }

    public BigDecimal toBigDecimal() {
        return BigDecimal.valueOf(milli, 3).stripTrailingZeros();
    }

    @Override
    public int compareTo(Tokens other) {
        return Long.compare(milli, other.milli);
    }

    /** Plain decimal: {@code 21}, {@code 5.5}. */
    @Override
    public String toString() {
        return toBigDecimal().toPlainString();
    }
}
