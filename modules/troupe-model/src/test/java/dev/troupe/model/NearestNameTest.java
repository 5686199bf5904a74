package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NearestNameTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "tennant, tenant",
        "tenat, tenant",
        "teannt, tenant",
        "Tenant, tenant",
        "jobid, jobId",
        "job_id, jobId",
        "batchid, batchId",
        "priorty, priority",
        "notafter, notAfter",
        "metdata, metadata",
        "imput, input",
        "shcema, schema",
    })
    void aMisspeltJobFieldGetsTheFieldItMeant(String name, String meant) {
        assertThat(NearestName.among(name, JobCodec.FIELDS)).contains(meant);
    }

    @ParameterizedTest
    @CsvSource({"tenant", "colour", "id", "x", "metadataExtra2", "''"})
    void aKnownOrFarNameGetsNone(String name) {
        assertThat(NearestName.among(name, JobCodec.FIELDS)).isEmpty();
    }

    @Test
    void aNameAsNearToTwoKnownNamesGetsNone() {
        assertThat(NearestName.among("cat", List.of("bat", "hat"))).isEmpty();
        assertThat(NearestName.among("cat", List.of("bat", "hats"))).contains("bat");
    }

    @Test
    void aVeryLongNameIsNotCompared() {
        assertThat(NearestName.among("tenant" + "x".repeat(NearestName.MAX_NAME_CHARS), List.of("tenant" + "x".repeat(NearestName.MAX_NAME_CHARS + 1))))
                .isEmpty();
    }

    @Test
    void aSwapOfNeighboursIsOneEdit() {
        assertThat(NearestName.distance("teannt", "tenant")).isEqualTo(1);
        assertThat(NearestName.distance("tennant", "tenant")).isEqualTo(1);
        assertThat(NearestName.distance("", "abc")).isEqualTo(3);
    }
}
