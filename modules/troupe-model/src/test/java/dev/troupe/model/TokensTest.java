package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Tokens#parse} reads amounts from outside (Givon's answers, configuration): every exact
 * amount round-trips in any decimal spelling, and hostile text (huge exponents, thousands of digits)
 * is refused, without ever being expanded.
 */
class TokensTest {

    /** Ways of writing one amount: plain, padded with zeros, scientific, engineering, signed. */
    enum Spelling {
        PLAIN, TRAILING_ZEROS, LEADING_ZEROS, SCIENTIFIC, ENGINEERING, EXPONENT_SHIFTED, PLUS_SIGN, SPACES
    }

    @Property(tries = 1_000)
    void everyAmountRoundTripsInEverySpelling(@ForAll long milli, @ForAll Spelling spelling,
            @ForAll @IntRange(min = 0, max = 20) int padding) {
        Tokens amount = Tokens.ofMilli(milli);
        BigDecimal exact = BigDecimal.valueOf(milli, 3);
        String text = switch (spelling) {
            case PLAIN -> amount.toString();
            case TRAILING_ZEROS -> exact.toPlainString() + "0".repeat(padding);
            case LEADING_ZEROS -> (milli < 0 ? "-" : "") + "0".repeat(padding) + exact.abs().toPlainString();
            case SCIENTIFIC -> exact.stripTrailingZeros().toString();
            case ENGINEERING -> exact.toEngineeringString();
            // e.g. 21.5 as 215000E-4: the same amount with its point moved into the exponent.
            case EXPONENT_SHIFTED -> exact.unscaledValue().multiply(java.math.BigInteger.TEN.pow(padding))
                    + "E-" + (3 + padding);
            case PLUS_SIGN -> milli >= 0 ? "+" + amount : amount.toString();
            case SPACES -> " ".repeat(padding) + amount + "\t";
        };

        assertThat(Tokens.parse(text)).as("parse(\"%s\")", text).isEqualTo(amount);
        assertThat(Tokens.fromDecimal(new BigDecimal(text.trim()))).isEqualTo(amount);
    }

    @Property(tries = 500)
    void hostileDecimalsAreRefused(@ForAll("hostileDecimals") String text) {
        assertThatThrownBy(() -> Tokens.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .message().hasSizeLessThan(200);
    }

    @Property(tries = 300)
    void hugeExponentsAreRefusedAsDecimalsBeforeAnyScaling(@ForAll("hugeExponents") String text) {
        // What a JSON parser hands over for 1e1000000: refused without computing 10^1000000.
        BigDecimal value = new BigDecimal(text);

        assertThatThrownBy(() -> Tokens.fromDecimal(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<String> hugeExponents() {
        Arbitrary<String> mantissa = Arbitraries.of("1", "-1", "9.99", "-2.5", "123456789", "0.001");
        Arbitrary<Integer> exponent = Arbitraries.integers().between(20, 999_999_999);
        Arbitrary<String> sign = Arbitraries.of("", "+", "-");
        // From 20 on, a negative exponent leaves more than three decimals and a positive one is out of range.
        return Combinators.combine(mantissa, sign, exponent).as((m, s, e) -> m + "e" + s + e);
    }

    @Provide
    Arbitrary<String> hostileDecimals() {
        Arbitrary<String> hugeExponent = hugeExponents();
        Arbitrary<String> manyDigits = Arbitraries.strings().numeric().ofMinLength(Tokens.MAX_DECIMAL_CHARS + 1)
                .ofMaxLength(10_000);
        // In range once read, but only after reading thousands of characters: refused for its length.
        Arbitrary<String> paddedSmallAmount = Arbitraries.integers().between(Tokens.MAX_DECIMAL_CHARS, 10_000)
                .map(zeros -> "0".repeat(zeros) + "5");
        Arbitrary<String> longFraction = Arbitraries.integers().between(Tokens.MAX_DECIMAL_CHARS, 10_000)
                .map(zeros -> "5." + "0".repeat(zeros));
        Arbitrary<String> tooManyDecimals = Arbitraries.integers().between(4, 60)
                .map(decimals -> "0." + "0".repeat(decimals - 1) + "1");
        Arbitrary<String> beyondALong = Arbitraries.integers().between(17, 60).map(digits -> "9".repeat(digits));
        return Arbitraries.oneOf(hugeExponent, manyDigits, paddedSmallAmount, longFraction, tooManyDecimals,
                beyondALong, Arbitraries.of("", "NaN", "Infinity", "1e", "e5", "1e99999999999", "0x10", "1,5", "--1"));
    }

    @Test
    void zeroIsZeroWhateverItsExponent() {
        assertThat(Tokens.parse("0e999999999")).isEqualTo(Tokens.ZERO);
        assertThat(Tokens.parse("-0.000000000")).isEqualTo(Tokens.ZERO);
    }

    @Test
    void theLongestAcceptedTextIsTheLimit() {
        String longest = "0".repeat(Tokens.MAX_DECIMAL_CHARS - 2) + "21";

        assertThat(Tokens.parse(longest)).isEqualTo(Tokens.of(21));
        assertThatThrownBy(() -> Tokens.parse("0" + longest)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most " + Tokens.MAX_DECIMAL_CHARS);
    }

    @Test
    void theWholeRangeOfALongIsReadable() {
        assertThat(Tokens.parse("9223372036854775.807")).isEqualTo(Tokens.ofMilli(Long.MAX_VALUE));
        assertThat(Tokens.parse("-9223372036854775.808")).isEqualTo(Tokens.ofMilli(Long.MIN_VALUE));
        assertThatThrownBy(() -> Tokens.parse("9223372036854775.808")).hasMessageContaining("out of range");
        assertThat(Tokens.parse("1.5e2")).isEqualTo(Tokens.of(150));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e1000000", "-1e1000000", "1e-1000000", "1E+999999999"})
    void aHugeExponentIsNeverExpanded(String text) {
        assertThatThrownBy(() -> Tokens.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingAmountIsRefused() {
        assertThatThrownBy(() -> Tokens.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
