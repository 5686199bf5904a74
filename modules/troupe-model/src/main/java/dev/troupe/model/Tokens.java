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

    /** Parses a decimal such as {@code "7"} or {@code "5.5"}; more than three decimals is an error, not a rounding. */
    public static Tokens parse(String decimal) {
        BigDecimal value;
        try {
            value = new BigDecimal(decimal.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("token amount '" + decimal + "' is not a decimal number", e);
        }
        try {
            return new Tokens(value.movePointRight(3).setScale(0, RoundingMode.UNNECESSARY).longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("token amount '" + decimal + "' has more than 3 decimals or is out of range", e);
        }
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
