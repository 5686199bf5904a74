package dev.troupe.cli.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void readsNamesLabelsWithEscapesAndSpecialValuesAndIgnoresCommentLines() {
        PrometheusText.Parsed parsed = PrometheusText.parse("""
                # HELP troupe_givon_exchanges_total every HTTP exchange with Givon
                # TYPE troupe_givon_exchanges_total counter
                troupe_givon_exchanges_total{class="2xx",kind="submit",} 12.0
                troupe_jobs_in_flight 3
                  # an indented comment
                weird{path="C:\\\\dir \\"quoted\\"\\nnext"} NaN
                up{a = "1" , b="2"} +Inf 1712345678000
                down -Inf
                tiny 1.5e-3\r
                """);

        assertThat(parsed.malformed()).isZero();
        assertThat(parsed.truncated()).isFalse();
        assertThat(parsed.samples()).hasSize(6);
        assertThat(parsed.samples().get(0)).isEqualTo(new PrometheusText.Sample("troupe_givon_exchanges_total",
                Map.of("class", "2xx", "kind", "submit"), 12.0));
        assertThat(parsed.samples().get(1)).isEqualTo(new PrometheusText.Sample("troupe_jobs_in_flight", Map.of(), 3.0));
        assertThat(parsed.samples().get(2).labels()).containsEntry("path", "C:\\dir \"quoted\"\nnext");
        assertThat(parsed.samples().get(2).value()).isNaN();
        assertThat(parsed.samples().get(3).labels()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(parsed.samples().get(3).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(parsed.samples().get(4).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(parsed.samples().get(5).value()).isEqualTo(0.0015);
    }

    @Test
    void skipsAndCountsMalformedLinesAndReadsOnAfterThem() {
        PrometheusText.Parsed parsed = PrometheusText.parse(String.join("\n",
                "no_value",
                "bad{label=unquoted} 1",
                "bad{label=\"open} 1",
                "bad{label=\"bad escape \\t\"} 1",
                "bad{a=\"1\",a=\"2\"} 1",
                "bad{9a=\"1\"} 1",
                "9bad 1",
                "bad 0x10",
                "bad 1.0f",
                "bad 1 2 3",
                "bad 1 notatimestamp",
                "bad{a=\"1\"}1",
                "good{a=\"1\"} 7"));

        assertThat(parsed.malformed()).isEqualTo(12);
        assertThat(parsed.samples()).containsExactly(new PrometheusText.Sample("good", Map.of("a", "1"), 7.0));
    }

    @Test
    void aLineOverTheLimitOrWithTooManyLabelsIsMalformed() {
        String longLine = "long{a=\"" + "x".repeat(PrometheusText.MAX_LINE_CHARS) + "\"} 1";
        StringBuilder labels = new StringBuilder("many{");
        for (int i = 0; i <= PrometheusText.MAX_LABELS; i++) {
            labels.append("l").append(i).append("=\"v\",");
        }
        labels.append("} 1");
        StringBuilder justEnough = new StringBuilder("enough{");
        for (int i = 0; i < PrometheusText.MAX_LABELS; i++) {
            justEnough.append("l").append(i).append("=\"v\",");
        }
        justEnough.append("} 1");

        PrometheusText.Parsed parsed = PrometheusText.parse(longLine + "\n" + labels + "\n" + justEnough + "\nok 1\n");

        assertThat(parsed.malformed()).isEqualTo(2);
        assertThat(parsed.samples()).extracting(PrometheusText.Sample::name).containsExactly("enough", "ok");
        assertThat(parsed.samples().get(0).labels()).hasSize(PrometheusText.MAX_LABELS);
    }

    @Test
    void readingStopsAtTheSampleLimitAndSaysSo() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < PrometheusText.MAX_SAMPLES + 10; i++) {
            text.append("s ").append(i).append('\n');
        }

        PrometheusText.Parsed parsed = PrometheusText.parse(text.toString());

        assertThat(parsed.samples()).hasSize(PrometheusText.MAX_SAMPLES);
        assertThat(parsed.truncated()).isTrue();
        assertThat(parsed.samples().get(PrometheusText.MAX_SAMPLES - 1).value()).isEqualTo(PrometheusText.MAX_SAMPLES - 1);
    }

    @Test
    void nullAndEmptyTextHoldNothing() {
        assertThat(PrometheusText.parse(null).samples()).isEmpty();
        assertThat(PrometheusText.parse("").samples()).isEmpty();
        assertThat(PrometheusText.parse("\n\n  \n# only comments\n").malformed()).isZero();
    }
}
