package dev.troupe.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.cli.dashboard.ViewRecords.BatchSummary;
import dev.troupe.cli.dashboard.ViewRecords.JobLine;
import dev.troupe.model.BatchCompletion;
import dev.troupe.model.BatchDescriptor;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.ProgressEvent;
import dev.troupe.model.Tokens;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The dashboard's view model: counts by phase kept as rows change, what a page lists, and its bounds. */
class DashboardViewTest {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    final Clock clock = Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC);

    @Test
    void aBatchCountsItsJobsByPhaseFromProgressAndResults() {
        DashboardView view = new DashboardView(10_000, 100, clock);
        view.accept(new BatchDescriptor("spring", "studio-a", 5, Tokens.of(50), T0));
        view.accept(event("spring:a", 1, ProgressEvent.Kind.SUBMITTED, 10));
        view.accept(event("spring:b", 1, ProgressEvent.Kind.PARKED, 11));
        view.accept(event("spring:c", 1, ProgressEvent.Kind.ADMITTED, 12));
        view.accept(result("spring:d", 1, JobStatus.SUCCEEDED, "g-d", 10, 20, 60));
        view.accept(result("spring:e", 1, JobStatus.FAILED, "g-e", 0, 20, 70));

        BatchSummary batch = only(view);
        assertThat(batch.jobs()).isEqualTo(5);
        assertThat(batch.phases()).containsEntry(JobPhase.AT_GIVON, 1).containsEntry(JobPhase.PARKED, 1)
                .containsEntry(JobPhase.QUEUED, 1).containsEntry(JobPhase.SUCCEEDED, 1).containsEntry(JobPhase.FAILED, 1);
        assertThat(batch.finished()).isEqualTo(2);
        assertThat(batch.percent()).isEqualTo(40.0);
        assertThat(batch.complete()).isFalse();
        assertThat(batch.spent()).isEqualTo(Tokens.of(10));
        assertThat(batch.estimated()).isEqualTo(Tokens.of(50));
        assertThat(batch.etaSeconds()).isPositive();

        view.accept(result("spring:a", 1, JobStatus.SUCCEEDED, "g-a", 10, 30, 90));
        view.accept(result("spring:b", 1, JobStatus.SUCCEEDED, "g-b", 10, 30, 95));
        view.accept(result("spring:c", 1, JobStatus.CANCELLED, null, 0, 0, 99));
        batch = only(view);
        assertThat(batch.complete()).isTrue();
        assertThat(batch.finishedAt()).isEqualTo(T0.plusSeconds(99));
        assertThat(batch.etaSeconds()).isZero();
        assertThat(batch.spent()).isEqualTo(Tokens.of(30));
    }

    @Test
    void resultsPublishedAgainAndOlderRunsChangeNothingAndARetryCountsAgainUntilItEnds() {
        DashboardView view = new DashboardView(10_000, 100, clock);
        view.accept(result("b:a", 1, JobStatus.FAILED, "g1", 5, 10, 20));
        view.accept(result("b:a", 1, JobStatus.FAILED, "g1", 5, 10, 20)); // published again
        assertThat(only(view).spent()).isEqualTo(Tokens.of(5));
        assertThat(only(view).phases()).containsEntry(JobPhase.FAILED, 1);

        view.accept(event("b:a", 2, ProgressEvent.Kind.ADMITTED, 30)); // troupe retry sent run 2
        assertThat(only(view).phases()).containsEntry(JobPhase.FAILED, 0).containsEntry(JobPhase.QUEUED, 1);
        view.accept(event("b:a", 1, ProgressEvent.Kind.SUBMITTED, 15)); // late event of run 1: no move back
        assertThat(only(view).phases()).containsEntry(JobPhase.QUEUED, 1);

        view.accept(result("b:a", 2, JobStatus.SUCCEEDED, "g2", 5, 40, 50));
        view.accept(result("b:a", 1, JobStatus.FAILED, "g1", 5, 10, 20)); // run 1's result read late
        BatchSummary batch = only(view);
        assertThat(batch.phases()).containsEntry(JobPhase.SUCCEEDED, 1).containsEntry(JobPhase.FAILED, 0);
        assertThat(batch.spent()).isEqualTo(Tokens.of(10)); // both generations were paid
        JobLine line = view.jobs("b", null, null, 0, 10).items().get(0);
        assertThat(line.run()).isEqualTo(2);
        assertThat(line.generationId()).isEqualTo("g2");
        assertThat(line.errorCode()).isNull();
    }

    @Test
    void aBatchListsItsJobsInJobIdOrderFilteredAndPagedAndGroupsItsFailuresByReason() {
        DashboardView view = new DashboardView(10_000, 100, clock);
        for (int i = 9; i >= 0; i--) {
            JobStatus status = i % 3 == 0 ? JobStatus.FAILED : JobStatus.SUCCEEDED;
            view.accept(result("b:j" + i, 1, status, "g" + i, 1, 10, 20 + i));
        }
        view.accept(result("b:x", 1, JobStatus.REJECTED, null, 0, 0, 5));

        assertThat(view.jobs("b", null, null, 0, 4).items()).extracting(JobLine::jobId).containsExactly("b:j0", "b:j1", "b:j2", "b:j3");
        assertThat(view.jobs("b", null, null, 8, 4).items()).extracting(JobLine::jobId).containsExactly("b:j8", "b:j9", "b:x");
        ViewRecords.Page<JobLine> failed = view.jobs("b", JobPhase.FAILED, null, 0, 2);
        assertThat(failed.total()).isEqualTo(4);
        assertThat(failed.items()).extracting(JobLine::jobId).containsExactly("b:j0", "b:j3");
        assertThat(view.jobs("b", null, "ADA", 0, 50).total()).isEqualTo(11); // every job's character is ada
        assertThat(view.jobs("b", null, "j7", 0, 50).items()).extracting(JobLine::jobId).containsExactly("b:j7");
        assertThat(view.jobs("nope", null, null, 0, 5)).isNull();

        ViewRecords.BatchDetail detail = view.batch("b");
        assertThat(detail.failures()).hasSize(2);
        assertThat(detail.failures().get(0)).satisfies(g -> {
            assertThat(g.status()).isEqualTo("FAILED");
            assertThat(g.code()).isEqualTo("GIVON_GENERATION_FAILED");
            assertThat(g.count()).isEqualTo(4);
            assertThat(g.message()).isEqualTo("the pose could not be tracked");
            assertThat(g.jobIds()).containsExactly("b:j0", "b:j3", "b:j6", "b:j9");
        });
        assertThat(detail.failures().get(1).status()).isEqualTo("REJECTED");
    }

    @Test
    void pastItsRowBoundTheLeastRecentlyChangedCompleteBatchKeepsItsCountsAndLosesItsRows() {
        DashboardView view = new DashboardView(1_000, 100, clock);
        fill(view, "old", 600, true);
        fill(view, "running", 300, false);
        fill(view, "new", 300, true);

        assertThat(view.held().rows()).isLessThanOrEqualTo(1_000);
        ViewRecords.BatchDetail old = view.batch("old");
        assertThat(old.summary().rowsHeld()).isFalse();
        assertThat(old.summary().phases()).containsEntry(JobPhase.SUCCEEDED, 600);
        assertThat(old.summary().complete()).isTrue();
        assertThat(view.jobs("old", null, null, 0, 10).total()).isZero();
        assertThat(view.batch("running").summary().rowsHeld()).isTrue();
        assertThat(view.batch("new").summary().rowsHeld()).isTrue();
        assertThat(view.held().evictedRows()).isEqualTo(600);
    }

    @Test
    void oneBatchLargerThanTheRowBoundKeepsItsCountsButNotItsRows() {
        DashboardView view = new DashboardView(1_000, 100, clock);
        fill(view, "huge", 1_500, true);
        assertThat(view.held().rows()).isLessThanOrEqualTo(1_000);
        BatchSummary huge = view.batch("huge").summary();
        assertThat(huge.rowsHeld()).isFalse();
        assertThat(huge.finished()).isEqualTo(1_500); // without rows, results count up to the descriptor's jobs
        assertThat(huge.complete()).isTrue();
        view.accept(result("huge:0", 1, JobStatus.SUCCEEDED, "g", 1, 10, 20)); // a repeat: past the count, changes nothing
        assertThat(view.batch("huge").summary().finished()).isEqualTo(1_500);
        assertThat(view.held().lateForEvicted()).isEqualTo(1);
    }

    @Test
    void pastItsBatchBoundTheOldestCompleteBatchIsForgotten() {
        DashboardView view = new DashboardView(100_000, 10, clock);
        fill(view, "running", 3, false);
        for (int b = 0; b < 12; b++) {
            fill(view, "done-" + b, 2, true);
        }
        assertThat(view.held().batches()).isEqualTo(10);
        assertThat(view.batch("running")).isNotNull();
        assertThat(view.batch("done-0")).isNull();
        assertThat(view.batch("done-11")).isNotNull();
        assertThat(view.held().evictedBatches()).isEqualTo(3);
    }

    @Test
    void batchesAreFilteredSortedAndPagedOnTheServer() {
        DashboardView view = new DashboardView(100_000, 100, clock);
        fill(view, "beta", 4, true);
        fill(view, "alpha", 4, false);
        fill(view, "gamma", 2, true);
        view.accept(new BatchDescriptor("delta", "studio-b", 3, Tokens.of(3), T0));

        assertThat(names(view, new BatchQuery(null, null, BatchQuery.State.ALL, BatchQuery.Sort.NAME, false, 0, 10)))
                .containsExactly("alpha", "beta", "delta", "gamma");
        assertThat(names(view, new BatchQuery(null, null, BatchQuery.State.COMPLETE, BatchQuery.Sort.NAME, true, 0, 10)))
                .containsExactly("gamma", "beta");
        assertThat(names(view, new BatchQuery("ta", null, BatchQuery.State.ALL, BatchQuery.Sort.NAME, false, 0, 10)))
                .containsExactly("beta", "delta");
        assertThat(names(view, new BatchQuery(null, "studio-b", BatchQuery.State.ALL, BatchQuery.Sort.NAME, false, 0, 10)))
                .containsExactly("delta");
        assertThat(names(view, new BatchQuery(null, null, BatchQuery.State.ALL, BatchQuery.Sort.PROGRESS, true, 1, 2)))
                .containsExactly("gamma", "alpha");
        assertThat(view.batch("delta").summary().phases()).containsEntry(JobPhase.QUEUED, 3); // unseen jobs wait in Kafka
        assertThat(view.tenants()).containsExactly("studio-a", "studio-b");
    }

    @Test
    void throughputCountsResultsByOutcomeInBucketsOfTheLastTenMinutes() {
        DashboardView view = new DashboardView(10_000, 100, clock);
        view.accept(result("b:a", 1, JobStatus.SUCCEEDED, "g", 1, 0, 598));
        view.accept(result("b:b", 1, JobStatus.FAILED, "g", 1, 0, 597));
        view.accept(result("b:c", 1, JobStatus.SUCCEEDED, "g", 1, 0, -100)); // older than the chart
        ViewRecords.Throughput throughput = view.throughput();
        assertThat(throughput.buckets()).hasSize(DashboardView.THROUGHPUT_BUCKETS);
        assertThat(throughput.buckets().get(throughput.buckets().size() - 1).getKey()).isEqualTo(T0.plusSeconds(600));
        int[] before = throughput.buckets().get(throughput.buckets().size() - 2).getValue(); // 595..600 s
        assertThat(before[JobStatus.SUCCEEDED.ordinal()]).isEqualTo(1);
        assertThat(before[JobStatus.FAILED.ordinal()]).isEqualTo(1);
        assertThat(throughput.buckets().stream().mapToInt(b -> b.getValue()[JobStatus.SUCCEEDED.ordinal()]).sum()).isEqualTo(1);
    }

    @Test
    void changesNameTheBatchesThatChangedThenSayAllPastFifty() {
        DashboardView view = new DashboardView(10_000, 1_000, clock);
        assertThat(view.drainChanges()).isNull();
        fill(view, "a", 1, false);
        DashboardView.Change change = view.drainChanges();
        assertThat(change.batches()).containsExactly("a");
        assertThat(view.drainChanges()).isNull();
        for (int i = 0; i < 60; i++) {
            fill(view, "many-" + i, 1, false);
        }
        view.budgetsChanged();
        change = view.drainChanges();
        assertThat(change.batches()).isNull();
        assertThat(change.budgets()).isTrue();
    }

    @Test
    void parkedJobsAreCountedByBudgetWithTheEarliestRefill() {
        DashboardView view = new DashboardView(10_000, 100, clock);
        view.accept(new ProgressEvent("b:a", 1, "b", "studio-a", ProgressEvent.Kind.PARKED, T0, "w", T0.plusSeconds(300),
                ProgressEvent.BUDGET_EXHAUSTED, null, 0, null, null));
        view.accept(new ProgressEvent("b:b", 1, "b", "studio-a", ProgressEvent.Kind.PARKED, T0, "w", T0.plusSeconds(200),
                ProgressEvent.BUDGET_EXHAUSTED, null, 0, null, null));
        Map<String, ViewRecords.Parked> parked = view.parked(tenant -> tenant + "-budget");
        assertThat(parked).containsOnlyKeys("studio-a-budget");
        assertThat(parked.get("studio-a-budget")).isEqualTo(new ViewRecords.Parked(2, T0.plusSeconds(200)));
        assertThat(view.batch("b").parkedUntil()).isEqualTo(T0.plusSeconds(200));
    }

    /** Whatever order results and progress arrive in, the counts kept as rows change equal a recount of the rows. */
    @Property(tries = 300)
    void countsKeptAsRowsChangeEqualARecount(@ForAll("arrivals") List<Object> arrivals) {
        DashboardView view = new DashboardView(100_000, 100, clock);
        view.accept(new BatchDescriptor("p", "studio-a", 8, Tokens.of(8), T0));
        for (Object arrival : arrivals) {
            if (arrival instanceof JobResult r) {
                view.accept(r);
            } else {
                view.accept((ProgressEvent) arrival);
            }
        }
        BatchSummary batch = only(view);
        Map<JobPhase, Integer> recount = new HashMap<>();
        List<JobLine> lines = view.jobs("p", null, null, 0, 100).items();
        lines.forEach(line -> recount.merge(line.phase(), 1, Integer::sum));
        recount.merge(JobPhase.QUEUED, 8 - lines.size(), Integer::sum);
        for (JobPhase phase : JobPhase.values()) {
            assertThat(batch.phases().get(phase)).as(phase.name()).isEqualTo(recount.getOrDefault(phase, 0));
        }
        assertThat(batch.finished()).isEqualTo((int) lines.stream().filter(l -> l.phase().finished()).count());
        assertThat(batch.jobs()).isEqualTo(8);
        // A job's row is of its latest run seen; finished only when that run has a result.
        for (JobLine line : lines) {
            int latest = arrivals.stream().mapToInt(a -> a instanceof JobResult r && r.jobId().equals(line.jobId()) ? r.run()
                    : a instanceof ProgressEvent e && e.jobId().equals(line.jobId()) && e.kind() != ProgressEvent.Kind.FINISHED ? e.run()
                    : 0).max().orElse(0);
            assertThat(line.run()).as(line.jobId()).isEqualTo(latest);
            boolean resultOfLatest = arrivals.stream().anyMatch(a -> a instanceof JobResult r && r.jobId().equals(line.jobId())
                    && r.run() == latest);
            assertThat(line.phase().finished()).as(line.jobId()).isEqualTo(resultOfLatest);
        }
    }

    @Provide
    Arbitrary<List<Object>> arrivals() {
        Arbitrary<String> job = Arbitraries.integers().between(0, 7).map(i -> "p:" + i);
        Arbitrary<Integer> run = Arbitraries.integers().between(1, 3);
        Arbitrary<Integer> second = Arbitraries.integers().between(0, 500);
        Arbitrary<Object> results = Combinators.combine(job, run, Arbitraries.of(JobStatus.class), second)
                .as((j, r, s, t) -> (Object) result(j, r, s, "g" + r, 1, t, t + 1));
        Arbitrary<Object> events = Combinators.combine(job, run, Arbitraries.of(ProgressEvent.Kind.ADMITTED, ProgressEvent.Kind.SUBMITTED,
                ProgressEvent.Kind.PARKED, ProgressEvent.Kind.HELD, ProgressEvent.Kind.RETRYING), second)
                .as((j, r, k, t) -> (Object) event(j, r, k, t));
        return Arbitraries.oneOf(results, events).list().ofMaxSize(40);
    }

    // ---- helpers ----

    private static BatchSummary only(DashboardView view) {
        List<BatchSummary> items = view.batches(new BatchQuery(null, null, BatchQuery.State.ALL, BatchQuery.Sort.NAME, false, 0, 10)).items();
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private static List<String> names(DashboardView view, BatchQuery query) {
        return view.batches(query).items().stream().map(BatchSummary::batchId).toList();
    }

    private static void fill(DashboardView view, String batch, int jobs, boolean finished) {
        view.accept(new BatchDescriptor(batch, "studio-a", jobs, Tokens.of(jobs), T0));
        for (int i = 0; i < jobs; i++) {
            if (finished) {
                view.accept(result(batch + ":" + i, 1, JobStatus.SUCCEEDED, "g", 1, 10, 20));
            } else {
                view.accept(event(batch + ":" + i, 1, ProgressEvent.Kind.SUBMITTED, 10));
            }
        }
    }

    /** A result of the batch its jobId starts with, submitted and completed so many seconds after T0. */
    static JobResult result(String jobId, int run, JobStatus status, String generationId, long tokens, long submitted, long completed) {
        JobResult.Error error = switch (status) {
            case FAILED -> new JobResult.Error("GIVON_GENERATION_FAILED", "the pose could not be tracked", false, List.of());
            case REJECTED -> new JobResult.Error("BUDGET_EXHAUSTED", "no budget", false, List.of());
            default -> null;
        };
        boolean ran = status == JobStatus.SUCCEEDED || status == JobStatus.FAILED;
        return new JobResult(jobId, batchOf(jobId), "studio-a", status, ran ? generationId : null,
                status == JobStatus.SUCCEEDED ? "https://cdn.givon.example/" + generationId + ".mp4" : null,
                Tokens.of(ran ? tokens : 0), ran ? 1 : 0, error,
                new JobResult.Timings(T0, T0.plusSeconds(Math.max(0, submitted - 1)), ran ? T0.plusSeconds(submitted) : null,
                        T0.plusSeconds(completed)), Map.of("character", "ada", "motion", "salsa"), run);
    }

    static ProgressEvent event(String jobId, int run, ProgressEvent.Kind kind, long at) {
        Instant when = T0.plusSeconds(at);
        return switch (kind) {
            case ADMITTED -> new ProgressEvent(jobId, run, batchOf(jobId), "studio-a", kind, when, "w", null, null, null, 0, null, null);
            case PARKED -> new ProgressEvent(jobId, run, batchOf(jobId), "studio-a", kind, when, "w", when.plusSeconds(60),
                    ProgressEvent.BUDGET_EXHAUSTED, null, 0, null, null);
            case HELD -> new ProgressEvent(jobId, run, batchOf(jobId), "studio-a", kind, when, "w", null, ProgressEvent.PAUSED, null, 0,
                    null, null);
            case SUBMITTED -> new ProgressEvent(jobId, run, batchOf(jobId), "studio-a", kind, when, "w", null, null, "gen-" + jobId, 1,
                    null, null);
            case RETRYING -> new ProgressEvent(jobId, run, batchOf(jobId), "studio-a", kind, when, "w", null, "429", null, 1,
                    when.plusSeconds(5), null);
            case FINISHED -> new ProgressEvent(jobId, run, batchOf(jobId), "studio-a", kind, when, "w", null, null, null, 0, null,
                    JobStatus.SUCCEEDED);
        };
    }

    private static String batchOf(String jobId) {
        return jobId.substring(0, jobId.indexOf(':'));
    }
}
