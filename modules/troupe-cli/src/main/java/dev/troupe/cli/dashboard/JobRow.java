package dev.troupe.cli.dashboard;

import dev.troupe.model.JobResult;
import dev.troupe.model.ProgressEvent;

/**
 * One job of a batch as the dashboard holds it: its phase, what its latest result said, and enough of its
 * latest run to order what arrives (results of older runs, progress read out of order). Kept small: the
 * view holds up to {@code dashboard.max-results} of them. Confined to the {@link DashboardView}'s lock.
 */
final class JobRow {

    static final int MAX_MESSAGE = 300;
    /** Generations of one job remembered as paid at most. */
    static final int MAX_PAID = 64;

    final String jobId;
    int run;
    JobPhase phase;
    /** Epoch millis of the latest progress event of {@link #run}; 0 before one. */
    long progressAt;
    /** Epoch millis a parked job's budget refills; 0 unless parked. */
    long parkedUntil;
    // What the latest result said (of its run, possibly an earlier one than {@link #run} while a retry runs).
    JobResult.Error error;
    int resultRun;
    String generationId;
    String videoUrl;
    String character;
    String motion;
    long costMilli;
    int attempts;
    long submittedAt;
    long completedAt;
    boolean hasResult;
    /** Hashes of the generations already counted as paid (run, generation, status), so a result published again adds nothing. */
    private int[] paid;

    JobRow(String jobId) {
        this.jobId = jobId;
    }

    /** Takes a result of this job; false when it is not the job's outcome (an older run, or completed earlier). */
    boolean take(JobResult result, Interner texts) {
        if (hasResult && result.run() == resultRun && completedAt > 0 && result.timings().completedAt() != null
                && result.timings().completedAt().toEpochMilli() < completedAt) {
            return false;
        }
        if (result.run() < Math.max(run, hasResult ? resultRun : 0)) {
            return false;
        }
        hasResult = true;
        resultRun = result.run();
        run = result.run();
        phase = JobPhase.of(result.status());
        parkedUntil = 0;
        error = result.error() == null ? null : clipped(result.error());
        generationId = result.generationId();
        videoUrl = result.videoUrl();
        character = texts.intern(result.metadata().get("character"));
        motion = texts.intern(result.metadata().get("motion"));
        costMilli = result.costTokens().milli();
        attempts = result.attempts();
        submittedAt = millis(result.timings().submittedAt());
        completedAt = millis(result.timings().completedAt());
        return true;
    }

    /** Takes a progress event; false when it says nothing new (another run's, older, or after the result). */
    boolean take(ProgressEvent event) {
        JobPhase next = JobPhase.of(event.kind());
        if (next == null || event.run() < run) {
            return false;
        }
        if (event.run() == run && (hasResult && resultRun == run || event.at().toEpochMilli() < progressAt)) {
            return false;
        }
        if (event.run() > run) {
            progressAt = 0;
        }
        run = event.run();
        progressAt = event.at().toEpochMilli();
        phase = next;
        parkedUntil = next == JobPhase.PARKED ? event.resumesAt().toEpochMilli() : 0;
        if (next == JobPhase.AT_GIVON && (!hasResult || resultRun < run)) {
            generationId = event.generationId();
        }
        return true;
    }

    /** Whether this result's generation is counted as paid for the first time; a result read again is not. */
    boolean firstPaid(JobResult result) {
        int key = java.util.Objects.hash(result.run(), result.generationId(), result.status());
        if (paid == null) {
            paid = new int[] {key};
            return true;
        }
        for (int known : paid) {
            if (known == key) {
                return false;
            }
        }
        if (paid.length >= MAX_PAID) {
            return true; // beyond the bound a repeat may count twice; a job is not retried this often
        }
        paid = java.util.Arrays.copyOf(paid, paid.length + 1);
        paid[paid.length - 1] = key;
        return true;
    }

    double renderSeconds() {
        return submittedAt > 0 && completedAt >= submittedAt ? (completedAt - submittedAt) / 1000.0 : -1;
    }

    private static JobResult.Error clipped(JobResult.Error error) {
        String message = error.message();
        if (message != null && message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE);
        }
        return message == error.message() && error.violations().isEmpty() ? error
                : new JobResult.Error(error.code(), message, error.retryable(), java.util.List.of());
    }

    private static long millis(java.time.Instant at) {
        return at == null ? 0 : at.toEpochMilli();
    }
}
