package dev.troupe.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NumbersTest {

    @Test
    void oneIsSingularEveryOtherCountPlural() {
        assertThat(Numbers.count(1, "job")).isEqualTo("1 job");
        assertThat(Numbers.count(0, "job")).isEqualTo("0 jobs");
        assertThat(Numbers.count(1_057, "result")).isEqualTo("1,057 results");
        assertThat(Numbers.noun(1, "record")).isEqualTo("record");
        assertThat(Numbers.noun(2, "record")).isEqualTo("records");
    }
}
