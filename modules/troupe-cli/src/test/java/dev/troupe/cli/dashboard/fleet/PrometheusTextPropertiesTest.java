package dev.troupe.cli.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/** The parser against any text (it is outside input), and against what {@link PrometheusText#render} writes. */
class PrometheusTextPropertiesTest {

    @Property(tries = 500)
    void anyTextParsesWithoutThrowingAndWithinItsBounds(@ForAll @StringLength(max = 2_000) String text) {
        PrometheusText.Parsed parsed = PrometheusText.parse(text);

        long lines = text.chars().filter(c -> c == '\n').count() + 1;
        assertThat(parsed.samples().size() + parsed.malformed()).isLessThanOrEqualTo((int) lines);
        assertThat(parsed.samples()).allSatisfy(s -> {
            assertThat(PrometheusText.validName(s.name())).as(s.name()).isTrue();
            assertThat(s.labels()).hasSizeLessThanOrEqualTo(PrometheusText.MAX_LABELS);
        });
    }

    @Property(tries = 500)
    void textMadeOfFormatPiecesNeverThrows(@ForAll("exposition") String text) {
        PrometheusText.Parsed parsed = PrometheusText.parse(text);

        assertThat(parsed.samples().size()).isLessThanOrEqualTo(PrometheusText.MAX_SAMPLES);
        assertThat(parsed.malformed()).isGreaterThanOrEqualTo(0);
    }

    @Property(tries = 300)
    void renderedSamplesReadBackAsTheyWere(@ForAll("sampleLists") List<PrometheusText.Sample> samples) {
        String text = samples.stream().map(PrometheusText::render).collect(Collectors.joining("\n", "# TYPE any gauge\n", "\n"));

        PrometheusText.Parsed parsed = PrometheusText.parse(text);

        assertThat(parsed.malformed()).as(text).isZero();
        assertThat(parsed.samples()).hasSameSizeAs(samples);
        for (int i = 0; i < samples.size(); i++) {
            PrometheusText.Sample read = parsed.samples().get(i);
            PrometheusText.Sample written = samples.get(i);
            assertThat(read.name()).isEqualTo(written.name());
            assertThat(read.labels()).containsExactlyEntriesOf(written.labels());
            assertThat(Double.compare(read.value(), written.value())).as("value %s read as %s", written.value(), read.value()).isZero();
        }
    }

    @Provide
    Arbitrary<String> exposition() {
        Arbitrary<String> piece = Arbitraries.of("troupe_x", "{", "}", "=", "\"", "\\", "\\\"", "\\n", ",", " ", "\t", "\n", "\r\n",
                "#", "1", "-", "+Inf", "NaN", "1e308", "1e999", "0.5", "a", ":", "é", "\u0000");
        return piece.list().ofMaxSize(200).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<List<PrometheusText.Sample>> sampleLists() {
        return sample().list().ofMaxSize(40);
    }

    private Arbitrary<PrometheusText.Sample> sample() {
        Arbitrary<String> name = Arbitraries.strings().withChars("abcxyz_:").ofMinLength(1).ofMaxLength(20)
                .filter(PrometheusText::validName);
        Arbitrary<String> labelName = Arbitraries.strings().withChars("abkz_019").ofMinLength(1).ofMaxLength(10)
                .filter(PrometheusText::validLabelName);
        // Any characters in values, the escaped ones often.
        Arbitrary<String> labelValue = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().withChars("\\\"\n {}=,#ab").ofMaxLength(30));
        Arbitrary<Map<String, String>> labels = Arbitraries.maps(labelName, labelValue).ofMaxSize(PrometheusText.MAX_LABELS)
                .map(LinkedHashMap::new);
        Arbitrary<Double> value = Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 0.0, 1.0));
        return Combinators.combine(name, labels, value).as(PrometheusText.Sample::new);
    }
}
