package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CostTest {

    private static final ModelCatalog FRACTIONAL = ModelCatalog.fromJson("""
            {"models":[
              {"id":"halfway","type":"video","pricePerSecond":"5.5","durationField":"duration",
               "fields":[{"name":"duration","kind":"INTEGER","default":5,"min":1,"max":60}]},
              {"id":"still","type":"image","pricePerSecond":"6.4","fixedDurationSeconds":2,
               "fields":[{"name":"prompt","kind":"TEXT","required":true}]}]}""");

    private static GenerationInput seconds(long duration) {
        return new GenerationInput(Map.of("duration", duration));
    }

    @Test
    void kling30CostsSevenTokensASecond() {
        ModelSpec kling = ModelCatalog.builtIn().require("kling-3.0-motion");

        assertThat(kling.cost(seconds(3))).isEqualTo(Tokens.of(21));
        assertThat(kling.cost(seconds(15))).isEqualTo(Tokens.of(105));
    }

    @Test
    void kling26CostsEightTokensASecond() {
        assertThat(ModelCatalog.builtIn().require("kling-2.6-motion").cost(seconds(5))).isEqualTo(Tokens.of(40));
    }

    @Test
    void theDefaultDurationOfAValidatedInputIsPriced() {
        ModelSpec kling = ModelCatalog.builtIn().require("kling-3.0-motion");
        InputCheck check = new InputValidator(ValidationLimits.DEFAULTS).check(kling, Fixtures.validInput(), "input.");

        assertThat(kling.cost(check.input()).toString()).isEqualTo("21");
    }

    @Test
    void fractionalPricesStayExact() {
        Tokens cost = FRACTIONAL.require("halfway").cost(seconds(7));

        assertThat(cost).isEqualTo(Tokens.ofMilli(38_500));
        assertThat(cost.toString()).isEqualTo("38.5");
        assertThat(cost.toBigDecimal()).isEqualByComparingTo(new BigDecimal("38.5"));
    }

    @Test
    void fixedDurationModelsAreBilledTheirFixedSeconds() {
        assertThat(FRACTIONAL.require("still").cost(new GenerationInput(Map.of("prompt", "x")))).isEqualTo(Tokens.parse("12.8"));
    }

    @Test
    void anInputWithoutItsDurationCannotBePriced() {
        assertThatThrownBy(() -> FRACTIONAL.require("halfway").cost(new GenerationInput(Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.5001", "0.0001", "1.2345"})
    void tokenAmountsWithFourDecimalsAreRejected(String amount) {
        assertThatThrownBy(() -> Tokens.parse(amount))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 3 decimals");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "seven", "1,5", "0x10"})
    void tokenAmountsThatAreNotDecimalsAreRejected(String amount) {
        assertThatThrownBy(() -> Tokens.parse(amount))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a decimal number");
    }

    @Test
    void tokenAmountsWithUpToThreeDecimalsAreExact() {
        assertThat(Tokens.parse("6.4").milli()).isEqualTo(6_400);
        assertThat(Tokens.parse("0.125").milli()).isEqualTo(125);
        assertThat(Tokens.parse("7").toString()).isEqualTo("7");
    }

    @Property(tries = 200)
    void costIsAdditiveAndExact(
            @ForAll @Size(min = 1, max = 50) List<@IntRange(min = 1, max = 60) Integer> durations,
            @ForAll @IntRange(min = 0, max = 100_000) int priceMilli) {
        ModelSpec model = new ModelSpec("p", "video", Tokens.ofMilli(priceMilli), "duration", 0,
                FRACTIONAL.require("halfway").fields());

        Tokens sum = durations.stream().map(d -> model.cost(seconds(d))).reduce(Tokens.ZERO, Tokens::plus);
        long totalSeconds = durations.stream().mapToLong(Integer::longValue).sum();

        assertThat(sum.milli()).isEqualTo(priceMilli * totalSeconds);
        assertThat(sum).isEqualTo(model.cost(seconds(totalSeconds)));
    }

    @Property(tries = 200)
    void decimalPricesParseToTheSameAmountTheyPrint(@ForAll @IntRange(min = 0, max = 10_000_000) int milli) {
        Tokens tokens = Tokens.ofMilli(milli);

        assertThat(Tokens.parse(tokens.toString())).isEqualTo(tokens);
    }
}
