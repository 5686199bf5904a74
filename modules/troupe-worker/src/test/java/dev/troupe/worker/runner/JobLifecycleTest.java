package dev.troupe.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.JournalEntry;
import dev.troupe.model.MotionJob;
import dev.troupe.model.Tokens;
import dev.troupe.worker.consumer.JobRecord;
import dev.troupe.worker.journal.JobJournal;
import dev.troupe.worker.journal.JournalRestore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The one transition point: which moves are journaled, and what is refused. */
class JobLifecycleTest {

    private static final TopicPartition P3 = new TopicPartition("troupe.jobs", 3);
    private static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");

    /** Records what the lifecycle asks of the journal ("forget" for a tombstone). */
    private final List<Object> written = new ArrayList<>();
    private final JobJournal journal = new JobJournal() {
        @Override
        public CompletableFuture<JournalRestore> recover(TopicPartition jobsPartition) {
            return CompletableFuture.completedFuture(JournalRestore.empty(jobsPartition));
        }

        @Override
        public Future<Void> record(TopicPartition jobsPartition, JournalEntry entry) {
            assertThat(jobsPartition).isEqualTo(P3);
            written.add(entry);
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> forget(TopicPartition jobsPartition, String jobId) {
            written.add("forget " + jobId);
            return Future.succeededFuture();
        }

        @Override
        public Future<Long> park(TopicPartition jobsPartition, JournalEntry.Parked entry) {
            written.add(entry);
            return Future.succeededFuture((long) written.size());
        }

        @Override
        public Future<java.util.Map<Long, JournalEntry>> readBack(TopicPartition jobsPartition, java.util.Collection<Long> offsets) {
            throw new UnsupportedOperationException("not read back in these tests");
        }

        @Override
        public void close() {
        }
    };
    private JobLifecycle lifecycle = new JobLifecycle(journal, Clock.fixed(NOW, ZoneOffset.UTC), false);

    private static MotionJob job() {
        return dev.troupe.model.JobCodec.defaults().decode(("{\"schema\":\"troupe.motion-job/v1\",\"jobId\":\"j-1\","
                + "\"input\":{\"prompt\":\"a dancer\",\"duration\":3,\"referencePhoto\":\"https://assets.example.com/c.png\","
                + "\"motionVideo\":\"https://assets.example.com/m.mp4\"}}").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                instanceof dev.troupe.model.DecodeResult.Decoded ok ? ok.job() : null;
    }

    private JobSnapshot awaitingSlot() {
        MotionJob job = job();
        JobSnapshot admitted = JobSnapshot.admitted(new JobRecord(P3, 42, null, new byte[10], null, NOW, 1), job, Tokens.of(21), NOW, null);
        lifecycle.begin(admitted);
        JobSnapshot awaiting = admitted.to(new JobState.AwaitingSlot());
        lifecycle.move(admitted, awaiting);
        return awaiting;
    }

    /** Submitted (attempt 1) and accepted by Givon as gen_7. */
    private JobSnapshot following() {
        JobSnapshot awaiting = awaitingSlot();
        JobSnapshot submitting = awaiting.withAttempts(1).to(new JobState.Submitting(1));
        lifecycle.move(awaiting, submitting);
        JobSnapshot following = submitting.acceptedAt(NOW).to(new JobState.Following("gen_7"));
        lifecycle.move(submitting, following);
        return following;
    }

    /** Submitted, refused with a 429 (nothing created: back to AwaitingSlot), submitted again; the second Submitting. */
    private JobSnapshot refusedAndSubmittedAgain(JobSnapshot awaiting) {
        JobSnapshot submitting = awaiting.withAttempts(1).to(new JobState.Submitting(1));
        lifecycle.move(awaiting, submitting);
        JobSnapshot rateLimited = submitting.withAttempts(0).to(new JobState.AwaitingSlot());
        lifecycle.move(submitting, rateLimited);
        JobSnapshot again = rateLimited.withAttempts(1).to(new JobState.Submitting(1));
        lifecycle.move(rateLimited, again);
        return again;
    }

    @Test
    void anIntentIsJournaledBeforeThePostAndTheGenerationWhenGivonAccepts() {
        JobSnapshot following = following();
        JobSnapshot publishing = following.to(new JobState.Publishing(null));
        lifecycle.move(following, publishing);
        JobResult result = following.result(JobStatus.SUCCEEDED, Tokens.of(21), "https://v/7.mp4", null, NOW);
        lifecycle.move(publishing, publishing.to(new JobState.Done(result)));

        assertThat(written).containsExactly(new JournalEntry.Submitting("j-1", NOW, 1),
                new JournalEntry.Accepted("j-1", NOW, 1, "gen_7", NOW),
                new JournalEntry.Finished("j-1", NOW, JobStatus.SUCCEEDED, "gen_7", Tokens.of(21), 1));
        assertThat(lifecycle.jobs().current("j-1")).as("a finished job leaves the table").isNull();
    }

    @Test
    void withATransactionalSinkTheOutcomeGoesWithTheResultNotThroughTheJournal() {
        lifecycle = new JobLifecycle(journal, Clock.fixed(NOW, ZoneOffset.UTC), true);
        JobSnapshot following = following();
        JobResult result = following.result(JobStatus.SUCCEEDED, Tokens.of(21), "https://v/7.mp4", null, NOW);
        JobSnapshot publishing = following.to(new JobState.Publishing(result));
        lifecycle.move(following, publishing);
        JobSnapshot done = publishing.to(new JobState.Done(result));

        assertThat(lifecycle.outcome(done)).isEqualTo(new JournalEntry.Finished("j-1", NOW, JobStatus.SUCCEEDED, "gen_7", Tokens.of(21), 1));
        lifecycle.move(publishing, done);
        assertThat(written).containsExactly(new JournalEntry.Submitting("j-1", NOW, 1),
                new JournalEntry.Accepted("j-1", NOW, 1, "gen_7", NOW));
    }

    @Test
    void aResultNotPublishedLeavesTheJobToTheNextOwner() {
        JobSnapshot following = following();
        JobSnapshot publishing = following.to(new JobState.Publishing(null));
        lifecycle.move(following, publishing);
        lifecycle.move(publishing, publishing.to(new JobState.Abandoned()));

        assertThat(written).as("the journal keeps the generation for the next owner").last()
                .isEqualTo(new JournalEntry.Accepted("j-1", NOW, 1, "gen_7", NOW));
        assertThat(lifecycle.jobs().current("j-1")).isNull();
    }

    @Test
    void aPostGivonRefusedVoidsTheIntentButAnUncertainOneKeepsIt() {
        JobSnapshot again = refusedAndSubmittedAgain(awaitingSlot());
        lifecycle.move(again, again.to(new JobState.BackingOff(1, NOW, true)));

        assertThat(written).containsExactly(new JournalEntry.Submitting("j-1", NOW, 1), "forget j-1",
                new JournalEntry.Submitting("j-1", NOW, 1));
    }

    @Test
    void aMoveFromAStateTheJobIsNoLongerInIsABug() {
        JobSnapshot awaiting = awaitingSlot();
        lifecycle.move(awaiting, awaiting.to(new JobState.Abandoned()));

        assertThatThrownBy(() -> lifecycle.move(awaiting, awaiting.to(new JobState.Submitting(1))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not its current state");
        assertThatThrownBy(() -> lifecycle.move(awaiting, awaiting.to(new JobState.Done(null))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot move");
    }

    @Test
    void aParkedJobIsJournaledWithItselfAndLeavesTheTableOnceShelved() {
        JobSnapshot admitted = JobSnapshot.admitted(new JobRecord(P3, 42, null, new byte[10], null, NOW.minusSeconds(5), 1), job(),
                Tokens.of(21), NOW, null);
        lifecycle.begin(admitted);
        JobSnapshot parked = admitted.to(new JobState.Parked(NOW.plusSeconds(60)));
        Long offset = lifecycle.park(admitted, parked).result();
        lifecycle.move(parked, parked.to(new JobState.Shelved(offset)));

        assertThat(written).containsExactly(new JournalEntry.Parked("j-1", NOW, NOW.plusSeconds(60), job(), NOW.minusSeconds(5),
                Tokens.of(21)));
        assertThat(offset).isEqualTo(1);
        assertThat(lifecycle.jobs().current("j-1")).as("a shelved job is held by the journal alone").isNull();
    }

    @Test
    void aJobResumedFromTheJournalCarriesItselfInEveryEntryAndIsNeverForgotten() {
        JobSnapshot admitted = JobSnapshot.resumed(P3, 7, job(), NOW.minusSeconds(5), Tokens.of(21), NOW, null);
        lifecycle.begin(admitted);
        JobSnapshot awaiting = admitted.to(new JobState.AwaitingSlot());
        lifecycle.move(admitted, awaiting);
        // Givon answers the first POST 429: nothing was created, but the journal is all that holds the job.
        JobSnapshot again = refusedAndSubmittedAgain(awaiting);
        lifecycle.move(again, again.acceptedAt(NOW).to(new JobState.Following("gen_7")));

        assertThat(admitted.recordless()).isTrue();
        assertThat(admitted.record().assignment()).isEqualTo(7);
        assertThat(written).containsExactly(
                new JournalEntry.Submitting("j-1", NOW, 1, job(), NOW.minusSeconds(5)),
                new JournalEntry.Parked("j-1", NOW, NOW, job(), NOW.minusSeconds(5), Tokens.of(21)),
                new JournalEntry.Submitting("j-1", NOW, 1, job(), NOW.minusSeconds(5)),
                new JournalEntry.Accepted("j-1", NOW, 1, "gen_7", NOW, job(), NOW.minusSeconds(5)));
    }
}
