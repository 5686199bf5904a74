package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.model.DecodeResult;
import dev.troupe.model.JobCodec;
import dev.troupe.worker.HostileRecord.Outcome;
import dev.troupe.worker.HostileRecord.Stamped;
import dev.troupe.worker.HostileRecord.Value;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The generator means what it says, checked without a broker: the outcome each hostile value claims is
 * what the worker's codec makes of it, and every record fits the broker. The flow property then holds
 * the worker to these outcomes.
 */
class HostileRecordsTest {

    private static final JobCodec CODEC = JobCodec.defaults();
    /** The broker's message.max.bytes, less a record batch's overhead. */
    private static final int BROKER_LIMIT = 1_048_588 - 61 - 30;

    @Test
    void everyFixedCaseHasTheOutcomeTheCodecGivesIt() {
        List<String> wrong = new ArrayList<>();
        for (Value value : HostileJobs.catalogue()) {
            String problem = disagreement(value, "job-" + wrong.size());
            if (problem != null) {
                wrong.add(problem);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void dataUrisCarryTheBytesTheirLengthSays() {
        for (int bytes : new int[] {1, 2, 3, 7, 700_000, 700_001}) {
            String uri = JobText.dataUri("image/png", bytes, true);
            assertThat(Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1))).hasSize(bytes);
        }
    }

    @Property(tries = 400)
    void everyGeneratedRecordHasTheOutcomeTheCodecGivesItAndFitsTheBroker(@ForAll("records") HostileRecord record) {
        assertThat(disagreement(record.value(), "hostile-1")).isNull();
        Stamped stamped = record.stamp("hostile-1");
        assertThat(record.value().large()).as("large means over %,d bytes", HostileRecords.LARGE)
                .isEqualTo(stamped.value() != null && stamped.value().length > HostileRecords.LARGE);
        assertThat(stamped.size()).isLessThanOrEqualTo(BROKER_LIMIT);
    }

    @Provide
    Arbitrary<HostileRecord> records() {
        return HostileRecords.records();
    }

    /** What the worker does with a record the codec decoded so, as an outcome. */
    static Outcome outcomeOf(DecodeResult decoded) {
        if (decoded instanceof DecodeResult.Decoded ok) {
            Instant notAfter = ok.job().notAfter();
            return notAfter != null && notAfter.isBefore(Instant.now()) ? Outcome.EXPIRED : Outcome.SUCCEEDED;
        }
        if (decoded instanceof DecodeResult.Invalid invalid) {
            return invalid.jobId() == null ? Outcome.DEAD_LETTER : Outcome.REJECTED;
        }
        return Outcome.DEAD_LETTER;
    }

    private static String disagreement(Value value, String jobId) {
        Stamped stamped = new HostileRecord(value, HostileRecord.Key.NULL, List.of()).stamp(jobId);
        DecodeResult decoded = CODEC.decode(stamped.value());
        Outcome codec = outcomeOf(decoded);
        String codecJobId = decoded instanceof DecodeResult.Decoded ok ? ok.job().jobId()
                : decoded instanceof DecodeResult.Invalid invalid ? invalid.jobId() : null;
        if (codec != value.outcome()) {
            return value + ": the codec says " + codec + " (" + clip(decoded.toString()) + ")";
        }
        if (codec != Outcome.DEAD_LETTER && !stamped.resultJobId().equals(codecJobId)) {
            return value + ": the codec reads jobId " + codecJobId + ", not " + stamped.resultJobId();
        }
        return null;
    }

    private static String clip(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
