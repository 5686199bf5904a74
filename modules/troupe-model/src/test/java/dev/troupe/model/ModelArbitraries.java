package dev.troupe.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of valid model values, shared by the codecs' property tests and the schema tests. */
final class ModelArbitraries {

    private ModelArbitraries() {
    }

    /** Valid jobs of the built-in catalog, as {@link JobCodec#decode} returns them (defaults applied). */
    static Arbitrary<MotionJob> jobs() {
        return Combinators.combine(ids(128), ids(128).injectNull(0.3), ids(64).injectNull(0.3),
                        Arbitraries.integers().between(-1000, 1000), metadata(), instants().injectNull(0.3),
                        Arbitraries.of(ModelCatalog.builtIn().ids()), inputs())
                .as(MotionJob::new)
                .flatMap(job -> runs().map(run -> new MotionJob(job.jobId(), job.batchId(), job.tenant(), job.priority(),
                        job.metadata(), job.notAfter(), job.model(), job.input(), run)));
    }

    /** Mostly first runs, some retries, the last run a job may have. */
    static Arbitrary<Integer> runs() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(MotionJob.FIRST_RUN)),
                Tuple.of(3, Arbitraries.integers().between(2, MotionJob.MAX_RUN)), Tuple.of(1, Arbitraries.just(MotionJob.MAX_RUN)));
    }

    static Arbitrary<String> ids(int maxLength) {
        return Arbitraries.strings().alpha().numeric().withChars("._:-").ofMinLength(1).ofMaxLength(maxLength);
    }

    /** Any characters, including ones JSON must escape and unpaired surrogates. */
    static Arbitrary<String> text() {
        return Arbitraries.strings().ofMaxLength(40);
    }

    static Arbitrary<Map<String, String>> metadata() {
        return Arbitraries.maps(text(), text()).ofMaxSize(5);
    }

    /** 2000-01-01 to 2100-01-01, to the nanosecond. */
    static Arbitrary<Instant> instants() {
        return Combinators.combine(Arbitraries.longs().between(946_684_800L, 4_102_444_800L), Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
    }

    static Arbitrary<GenerationInput> inputs() {
        Arbitrary<String> prompt = Arbitraries.strings().ofMinLength(1).ofMaxLength(200).filter(s -> !s.isBlank());
        Arbitrary<String> photo = Arbitraries.of("asset://asset_p1", "https://cdn.example.com/p.png", Fixtures.PNG_DATA_URI);
        Arbitrary<String> video = Arbitraries.of("asset://asset_v-1", "https://cdn.example.com/v.mp4", Fixtures.MP4_DATA_URI);
        return Combinators.combine(prompt, Arbitraries.of("9:16", "16:9", "1:1", "4:3", "3:4"),
                        Arbitraries.longs().between(3, 15), Arbitraries.of(true, false), photo, video)
                .as((p, ratio, seconds, audio, ref, motion) -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("prompt", p);
                    fields.put("aspectRatio", ratio);
                    fields.put("duration", seconds);
                    fields.put("audioEnabled", audio);
                    fields.put("referencePhoto", ref);
                    fields.put("motionVideo", motion);
                    return new GenerationInput(fields);
                });
    }

    /** Results as a worker could write them, of every status, with and without error, timings and metadata. */
    static Arbitrary<JobResult> results() {
        Arbitrary<Identity> identity = Combinators.combine(ids(128), ids(128).injectNull(0.3), ids(64).injectNull(0.3),
                        Arbitraries.of(JobStatus.class), text().injectNull(0.3), text().injectNull(0.3))
                .as(Identity::new);
        return Combinators.combine(identity,
                        Arbitraries.longs().between(-1_000_000_000_000L, 1_000_000_000_000L).map(Tokens::ofMilli),
                        Arbitraries.integers().between(0, 20), errors().injectNull(0.4), timings(), metadata(),
                        Combinators.combine(Arbitraries.integers().between(MotionJob.FIRST_RUN, MotionJob.MAX_RUN),
                                ids(128).injectNull(0.3), cancelRequests().injectNull(0.7)).as(RunAndWorker::new))
                .as((id, cost, attempts, error, timings, metadata, by) -> new JobResult(id.jobId, id.batchId, id.tenant,
                        id.status, id.generationId, id.videoUrl, cost, attempts, error, timings, metadata, by.run, by.worker,
                        by.cancel));
    }

    private static Arbitrary<JobResult.CancelRequest> cancelRequests() {
        return Combinators.combine(Arbitraries.of("batch:", "job:").flatMap(kind -> ids(128).map(id -> kind + id)), instants(),
                text().injectNull(0.4)).as(JobResult.CancelRequest::new);
    }

    private record RunAndWorker(int run, String worker, JobResult.CancelRequest cancel) {
    }

    private record Identity(String jobId, String batchId, String tenant, JobStatus status, String generationId, String videoUrl) {
    }

    private static Arbitrary<JobResult.Timings> timings() {
        return Combinators.combine(instants().injectNull(0.3), instants().injectNull(0.3), instants().injectNull(0.3),
                        instants().injectNull(0.3))
                .as(JobResult.Timings::new);
    }

    private static Arbitrary<JobResult.Error> errors() {
        Arbitrary<Violation> violation = Combinators.combine(text(), text(), text().injectNull(0.3), text())
                .as(Violation::new);
        return Combinators.combine(Arbitraries.of("INVALID_JOB", "GENERATION_FAILED", "BUDGET_EXHAUSTED"), text().injectNull(0.2),
                        Arbitraries.of(true, false), violation.list().ofMaxSize(4))
                .as(JobResult.Error::new);
    }

    /** Valid journal entries of every kind, including jobs resumed from a parked entry. */
    static Arbitrary<JournalEntry> journalEntries() {
        Arbitrary<String> jobIds = ids(128);
        Arbitrary<Integer> attempts = Arbitraries.integers().between(1, 1000);
        Arbitrary<String> generationIds = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(256);
        Arbitrary<JournalEntry> submitting = Combinators.combine(jobIds, instants(), attempts)
                .as((jobId, at, attempt) -> (JournalEntry) new JournalEntry.Submitting(jobId, at, attempt));
        // A job resumed from a parked entry carries itself in its later entries.
        Arbitrary<JournalEntry> resumed = Combinators.combine(jobs(), instants(), attempts,
                        generationIds.injectNull(0.5), instants().injectNull(0.3))
                .as((job, at, attempt, generationId, enqueuedAt) -> generationId == null
                        ? new JournalEntry.Submitting(job.runKey(), at, attempt, job, enqueuedAt)
                        : new JournalEntry.Accepted(job.runKey(), at, attempt, generationId, at, job, enqueuedAt));
        Arbitrary<JournalEntry> accepted = Combinators.combine(jobIds, instants(), attempts, generationIds,
                        instants().injectNull(0.3))
                .as((jobId, at, attempt, generationId, submittedAt) -> (JournalEntry) new JournalEntry.Accepted(jobId, at, attempt,
                        generationId, submittedAt));
        Arbitrary<JournalEntry> parked = Combinators.combine(jobs(), instants(),
                        instants(), instants().injectNull(0.3),
                        Arbitraries.longs().between(0, 1_000_000_000L).map(Tokens::ofMilli))
                .as((job, at, resumesAt, enqueuedAt, cost) -> new JournalEntry.Parked(job.runKey(), at, resumesAt, job, enqueuedAt, cost));
        Arbitrary<JournalEntry> finished = Combinators.combine(jobIds, instants(), Arbitraries.of(JobStatus.class),
                        generationIds.injectNull(0.3), Arbitraries.longs().between(0, 1_000_000_000_000L).map(Tokens::ofMilli),
                        Arbitraries.integers().between(0, 1000))
                .as(JournalEntry.Finished::new);
        return Arbitraries.oneOf(submitting, resumed, accepted, parked, finished);
    }

    /** Valid budget entries of every kind. */
    static Arbitrary<BudgetEntry> budgetEntries() {
        Arbitrary<String> budgets = Arbitraries.oneOf(Arbitraries.just("*"),
                Arbitraries.strings().withChars("abcXYZ019._:-").ofMinLength(1).ofMaxLength(64));
        Arbitrary<String> jobIds = Arbitraries.strings().withChars("abcXYZ019._:-").ofMinLength(1).ofMaxLength(128);
        Arbitrary<Tokens> tokens = Arbitraries.longs().between(0, 1_000_000_000_000L).map(Tokens::ofMilli);
        Arbitrary<Long> windows = Arbitraries.longs();
        Arbitrary<BudgetEntry> reserve = Combinators.combine(budgets, jobIds, tokens,
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(200)).as(BudgetEntry.Reserve::new);
        Arbitrary<BudgetEntry> settle = Combinators.combine(budgets, jobIds, windows, tokens).as(BudgetEntry.Settle::new);
        Arbitrary<BudgetEntry> release = Combinators.combine(budgets, jobIds, windows).as(BudgetEntry.Release::new);
        Arbitrary<BudgetEntry> hold = Combinators.combine(jobIds, Arbitraries.longs().between(1, 86_400_000L),
                Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200), Arbitraries.strings().ofMinLength(150).ofMaxLength(400)))
                .as(BudgetEntry.Hold::new);
        return Arbitraries.oneOf(reserve, settle, release, hold);
    }
}
