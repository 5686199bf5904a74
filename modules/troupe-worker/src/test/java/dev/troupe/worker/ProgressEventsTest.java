package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.ProgressEvent;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every job a worker runs tells its progress on {@code topics.progress}, in order, from the one
 * transition point: admitted, submitted as the generation its result names, finished with its result's
 * status; a job parked on a spent wait budget says until when. Real broker, simulator.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProgressEventsTest extends WorkerTestSupport {

    @Test
    void eachJobIsAdmittedThenSubmittedAsItsGenerationThenFinishedWithItsResultsStatus() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            bed.startWorker(bed.workerConfig().maxConcurrency(4).build());
            List<String> jobIds = List.of("progress-a", "progress-b", "progress-c");
            jobIds.forEach(id -> bed.produce(id, Jobs.valid(id, "studio-a")));
            bed.produce("progress-a", Jobs.run("progress-a", "studio-a", 2)); // troupe retry: its own events
            bed.flush();
            try (TopicReader results = bed.results(); TopicReader progress = bed.progress()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> results.results().size() == 4);
                Map<String, JobResult> byRun = new java.util.HashMap<>();
                results.results().forEach(r -> byRun.put(r.jobId() + "#" + r.run(), r));
                await().atMost(Duration.ofSeconds(10)).until(() -> progress.progressEvents().stream()
                        .filter(e -> e.kind() == ProgressEvent.Kind.FINISHED).count() == 4);
                List<ProgressEvent> events = progress.progressEvents();
                for (JobResult result : byRun.values()) {
                    List<ProgressEvent> mine = events.stream()
                            .filter(e -> e.jobId().equals(result.jobId()) && e.run() == result.run()).toList();
                    assertThat(mine).as(result.jobId() + " run " + result.run()).extracting(ProgressEvent::kind)
                            .containsExactly(ProgressEvent.Kind.ADMITTED, ProgressEvent.Kind.SUBMITTED, ProgressEvent.Kind.FINISHED);
                    assertThat(mine.get(1).generationId()).isEqualTo(result.generationId());
                    assertThat(mine.get(1).attempt()).isEqualTo(1);
                    assertThat(mine.get(2).status()).isEqualTo(result.status()).isEqualTo(JobStatus.SUCCEEDED);
                    assertThat(mine).allSatisfy(e -> {
                        assertThat(e.worker()).isEqualTo(result.worker()).isNotNull();
                        assertThat(e.tenant()).isEqualTo("studio-a");
                    });
                    assertThat(mine).extracting(ProgressEvent::at).isSorted();
                }
            }
        }
    }

    @Test
    void aJobParkedOnASpentWaitBudgetSaysUntilWhen() throws Exception {
        Tokens jobCost = Tokens.of(21); // kling-3.0-motion, 3 s
        BudgetPolicy oneJobADay = new BudgetPolicy(Map.of("studio-a", new BudgetRule(jobCost, Duration.ofDays(1), ExhaustionPolicy.WAIT)),
                new BudgetRule(Tokens.of(1_000_000), Duration.ofDays(1), ExhaustionPolicy.WAIT));
        try (WorkerTestBed bed = bed(sim -> {})) {
            bed.startWorker(bed.workerConfig().maxConcurrency(1).budget(oneJobADay).build());
            Instant sent = Instant.now();
            bed.produce("runs", Jobs.valid("runs", "studio-a"));
            bed.produce("waits", Jobs.valid("waits", "studio-a"));
            bed.flush();
            try (TopicReader progress = bed.progress()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> progress.progressEvents().stream()
                        .anyMatch(e -> e.kind() == ProgressEvent.Kind.PARKED));
                ProgressEvent parked = progress.progressEvents().stream().filter(e -> e.kind() == ProgressEvent.Kind.PARKED)
                        .findFirst().orElseThrow();
                String waiting = parked.jobId();
                assertThat(parked.reason()).isEqualTo(ProgressEvent.BUDGET_EXHAUSTED);
                // The window is a day, aligned to the epoch: it rolls within the next day.
                assertThat(parked.resumesAt()).isAfter(sent).isBeforeOrEqualTo(sent.plus(Duration.ofDays(1)).plusSeconds(1));
                assertThat(progress.progressEvents().stream().filter(e -> e.jobId().equals(waiting)).map(ProgressEvent::kind))
                        .startsWith(ProgressEvent.Kind.ADMITTED, ProgressEvent.Kind.PARKED);
                String other = waiting.equals("runs") ? "waits" : "runs";
                await().atMost(Duration.ofSeconds(30)).until(() -> progress.progressEvents().stream()
                        .anyMatch(e -> e.jobId().equals(other) && e.kind() == ProgressEvent.Kind.FINISHED));
            }
        }
    }

    @Test
    void aJobHeldByAPauseSaysSoAndGoesOnAfterTheResume() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            bed.control(dev.troupe.model.ControlCommand.pause("studio-a", Instant.now(), "invoice overdue"));
            bed.startWorker(bed.workerConfig().maxConcurrency(2).build());
            bed.produce("paused", Jobs.valid("paused", "studio-a"));
            bed.flush();
            try (TopicReader progress = bed.progress()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> progress.progressEvents().stream()
                        .anyMatch(e -> e.kind() == ProgressEvent.Kind.HELD));
                assertThat(progress.progressEvents()).extracting(ProgressEvent::kind)
                        .containsExactly(ProgressEvent.Kind.ADMITTED, ProgressEvent.Kind.HELD);
                assertThat(progress.progressEvents().get(1).reason()).isEqualTo(ProgressEvent.PAUSED);

                bed.control(dev.troupe.model.ControlCommand.resume("studio-a", Instant.now(), null));
                await().atMost(Duration.ofSeconds(30)).until(() -> progress.progressEvents().stream()
                        .anyMatch(e -> e.kind() == ProgressEvent.Kind.FINISHED));
                assertThat(progress.progressEvents()).extracting(ProgressEvent::kind).endsWith(ProgressEvent.Kind.SUBMITTED,
                        ProgressEvent.Kind.FINISHED);
            }
        }
    }
}
