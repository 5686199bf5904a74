package dev.troupe.client.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class JobIdsTest {

    @Property(tries = 300)
    void anyNamesGiveAValidJobId(@ForAll @StringLength(max = 200) String batch, @ForAll @StringLength(max = 80) String character,
            @ForAll String motion, @ForAll String prompt) {
        assertThat(JobIds.derive(batch, character, motion, prompt)).matches(JobIds.VALID);
    }

    @Property(tries = 300)
    void longIdsOfDifferentCombinationsStayDifferent(@ForAll @StringLength(min = 100, max = 150) String batch,
            @ForAll @StringLength(min = 1, max = 20) String motion) {
        String one = JobIds.derive(batch, "ada", motion, "stage");
        String other = JobIds.derive(batch, "ada", motion + "x", "stage");
        assertThat(one).isNotEqualTo(other).matches(JobIds.VALID);
    }

    @Test
    void safeNamesAreKeptAsTheyAre() {
        assertThat(JobIds.derive("spring-2025", "ada", "k-pop", "stage.v2")).isEqualTo("spring-2025:ada:k-pop:stage.v2");
        assertThat(JobIds.derive("spring", "Ada Lovelace", "salsa:fast", "é")).isEqualTo("spring:Ada_Lovelace:salsa_fast:_");
    }
}
