package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The records are written with the generator, field by field (JsonOut); a tree of the same record,
 * read back and written by the same mapper, gives the same bytes: no formatting, escaping or order of
 * the tree form was lost (emoji stay 4 UTF-8 bytes, nulls stay omitted).
 */
class StreamedRecordsTest {

    private final JobCodec codec = JobCodec.defaults();
    private final JournalCodec journal = JournalCodec.defaults();

    @Property(tries = 300)
    void aJobIsWrittenAsItsTreeWouldBe(@ForAll("jobs") MotionJob job) throws IOException {
        assertSameAsTree(codec.encode(job));
    }

    @Property(tries = 300)
    void aResultIsWrittenAsItsTreeWouldBe(@ForAll("results") JobResult result) throws IOException {
        assertSameAsTree(codec.encodeResult(result));
    }

    @Property(tries = 300)
    void aJournalEntryIsWrittenAsItsTreeWouldBe(@ForAll("entries") JournalEntry entry) throws IOException {
        assertSameAsTree(journal.encode(entry));
    }

    @Property(tries = 100)
    void emojiInMetadataStayFourBytes(@ForAll("results") JobResult result) {
        JobResult withEmoji = new JobResult(result.jobId(), result.batchId(), result.tenant(), result.status(), result.generationId(),
                result.videoUrl(), result.costTokens(), result.attempts(), result.error(), result.timings(),
                java.util.Map.of("mood", "\uD83D\uDE00"), result.run(), result.worker(), result.cancelRequested());
        String json = new String(codec.encodeResult(withEmoji), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).contains("\"mood\":\"\uD83D\uDE00\"").doesNotContain("\\uD83D");
    }

    private static void assertSameAsTree(byte[] streamed) throws IOException {
        byte[] tree = Json.MAPPER.writeValueAsBytes(Json.MAPPER.readTree(streamed));
        assertThat(new String(streamed, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(new String(tree, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<MotionJob> jobs() {
        return ModelArbitraries.jobs();
    }

    @Provide
    Arbitrary<JobResult> results() {
        return ModelArbitraries.results();
    }

    @Provide
    Arbitrary<JournalEntry> entries() {
        return ModelArbitraries.journalEntries();
    }
}
