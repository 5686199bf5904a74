package dev.troupe.worker.offset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class FinishedAheadTest {

    @Test
    void finishedOffsetsAboveTheCommitSurviveTheRoundTripAsRuns() {
        PartitionOffsets offsets = new PartitionOffsets();
        LongStream.of(10, 11, 12, 14, 15, 16, 17, 20).forEach(offsets::track);
        LongStream.of(12, 14, 15, 16, 20).forEach(offsets::complete);

        long committed = offsets.committable().orElseThrow();
        String metadata = FinishedAhead.encode(committed, offsets.finishedAhead());

        assertThat(committed).isEqualTo(10);
        assertThat(metadata).isEqualTo("troupe-done/1:2,4-6,10");
        FinishedAhead decoded = FinishedAhead.decode(committed, metadata).orElseThrow();
        assertThat(LongStream.rangeClosed(8, 22).filter(decoded::finished).toArray()).containsExactly(12, 14, 15, 16, 20);
    }

    @Test
    void nothingFinishedAheadWritesNoMetadata() {
        assertThat(FinishedAhead.encode(5, new long[0])).isEmpty();
        assertThat(FinishedAhead.decode(5, "")).isEmpty();
        assertThat(FinishedAhead.decode(5, "written by another tool")).isEmpty();
        assertThat(FinishedAhead.decode(5, "troupe-done/1:x")).isEmpty();
    }

    @Test
    void theMetadataStaysUnderKafkasLimitAndWhatIsLeftOutIsOnlyRunAgain() {
        long[] scattered = LongStream.range(0, 5_000).map(i -> 1_000 + 2 * i).toArray();
        String metadata = FinishedAhead.encode(1_000, scattered);

        assertThat(metadata.length()).isLessThanOrEqualTo(FinishedAhead.MAX_CHARS);
        FinishedAhead decoded = FinishedAhead.decode(1_000, metadata).orElseThrow();
        assertThat(decoded.size()).isBetween(100, 5_000);
        assertThat(decoded.finished(1_000)).isTrue();
        assertThat(decoded.finished(1_001)).isFalse();
        assertThat(decoded.finished(scattered[scattered.length - 1])).isFalse();
    }
}
