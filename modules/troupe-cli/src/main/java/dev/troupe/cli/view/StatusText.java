package dev.troupe.cli.view;

import dev.troupe.client.status.JobStory;
import dev.troupe.model.JobResult;
import dev.troupe.model.JournalEntry;
import dev.troupe.model.MotionJob;
import dev.troupe.model.ProgressEvent;
import dev.troupe.model.Texts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code troupe status JOBID} as text: the job, then each run (sent, journal, progress events, result,
 * results set aside), the run that is the job's outcome named. Every text from a record is clipped and made one
 * line; lists are bounded by {@link JobStory}.
 */
public final class StatusText {

    /** Longest text from a record shown on a line (a URL, a generation id, an error message). */
    static final int TEXT_CHARS = 160;

    private StatusText() {
    }

    public static String render(JobStory story) {
        List<String> lines = new ArrayList<>();
        lines.add("Job " + safe(story.jobId()) + " (" + where(story.jobs()) + ", " + where(story.results())
                + (story.state() == null ? "" : ", " + where(story.state())) + ")");
        MotionJob job = story.job();
        if (job == null) {
            field(lines, "record", "no valid record of it left on " + story.jobs().topic() + " (retention, or never valid)");
        } else {
            field(lines, "batch", job.batchId() == null ? "-" : safe(job.batchId()));
            field(lines, "tenant", job.tenant() == null ? "- (the default budget)" : safe(job.tenant()));
            field(lines, "model", safe(job.model()) + job.input().integer("duration").map(s -> ", " + s + " s").orElse("")
                    + job.input().text("aspectRatio").map(a -> ", " + safe(a)).orElse(""));
            for (String key : List.of("character", "motion", "prompt")) {
                String value = job.metadata().get(key);
                if (value != null) {
                    field(lines, key, safe(value));
                }
            }
            field(lines, "estimate", story.estimate() == null ? "unknown model" : Numbers.tokens(story.estimate()) + " tokens");
        }
        field(lines, "outcome", outcome(story));
        if (story.stateNote() != null) {
            field(lines, "journal", story.stateNote());
        }
        if (story.unreadable() > 0) {
            field(lines, "unreadable", Numbers.count(story.unreadable(), "record") + " keyed by this job skipped");
        }
        if (story.runsLeftOut() > 0) {
            lines.add("");
            lines.add("(" + Numbers.count(story.runsLeftOut(), "earlier run") + " not shown: the latest " + JobStory.MAX_RUNS + " follow)");
        }
        Optional<JobStory.Run> outcome = story.outcome();
        for (JobStory.Run run : story.runs()) {
            lines.add("");
            lines.add("Run " + run.run() + (outcome.isPresent() && outcome.get() == run ? ": the job's outcome" : ""));
            run(lines, story, run);
        }
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    private static String outcome(JobStory story) {
        Optional<JobStory.Run> outcome = story.outcome();
        Optional<JobStory.Run> latest = story.latest();
        String pending = latest.isPresent() && latest.get().result() == null
                ? "run " + latest.get().run() + " has no result yet" : "";
        if (outcome.isEmpty()) {
            return "none yet" + (pending.isEmpty() ? "" : ": " + pending);
        }
        JobResult result = outcome.get().result().result();
        return "run " + outcome.get().run() + " " + result.status() + (pending.isEmpty() ? "" : "; " + pending);
    }

    private static void run(List<String> lines, JobStory story, JobStory.Run run) {
        if (run.sent().isEmpty()) {
            field(lines, "sent", "no record of it on " + story.jobs().topic() + " (retention?)");
        }
        for (int i = 0; i < run.sent().size(); i++) {
            JobStory.Sent sent = run.sent().get(i);
            field(lines, i == 0 ? "sent" : "sent again", sent.at() + " (offset " + sent.offset() + ")"
                    + (sent.valid() ? (i == 0 ? "" : ": the same run, run once") : ": not a valid job: " + safe(sent.problem())));
        }
        if (run.sentLeftOut() > 0) {
            field(lines, "", "... and " + Numbers.count(run.sentLeftOut(), "more record") + " of this run");
        }
        field(lines, "journal", journal(run, story));
        if (run.progressLeftOut() > 0) {
            field(lines, "progress", "(" + Numbers.count(run.progressLeftOut(), "earlier event") + " not shown: the latest "
                    + JobStory.MAX_PROGRESS + " follow)");
        }
        for (int i = 0; i < run.progress().size(); i++) {
            field(lines, i == 0 && run.progressLeftOut() == 0 ? "progress" : "", progress(run.progress().get(i)));
        }
        JobStory.Placed placed = run.result();
        if (placed == null) {
            field(lines, "result", "none yet");
        } else {
            JobResult r = placed.result();
            field(lines, "result", r.status() + ", " + Numbers.tokens(r.costTokens()) + " tokens, "
                    + Numbers.count(r.attempts(), "attempt") + (r.generationId() == null ? "" : ", generation " + safe(r.generationId()))
                    + (r.worker() == null ? "" : ", by " + r.worker()) + " (offset " + placed.offset() + ")");
            if (r.videoUrl() != null) {
                field(lines, "video", safe(r.videoUrl()));
            }
            if (r.error() != null) {
                field(lines, "error", safe(r.error().code() + (r.error().message() == null ? "" : ": " + r.error().message())));
            }
            if (r.cancelRequested() != null) {
                JobResult.CancelRequest cancel = r.cancelRequested();
                field(lines, "cancel", safe("troupe cancel of " + cancel.target() + " at " + cancel.at()
                        + (cancel.reason() == null ? "" : " (" + cancel.reason() + ")")
                        + " came while Givon ran the generation: followed to its end"));
            }
            timings(r.timings()).ifPresent(t -> field(lines, "timings", t));
        }
        for (JobStory.Placed aside : run.setAside()) {
            JobResult r = aside.result();
            boolean repeat = placed != null && r.repeats(placed.result());
            field(lines, "set aside", r.status() + (r.generationId() == null ? "" : " generation " + safe(r.generationId()))
                    + (r.worker() == null ? "" : " by " + r.worker()) + " (offset " + aside.offset() + "): "
                    + (repeat ? "the same result published again" : "another result of this run, completed earlier"));
        }
        if (run.setAsideLeftOut() > 0) {
            field(lines, "", "... and " + Numbers.count(run.setAsideLeftOut(), "more result") + " set aside");
        }
    }

    private static String journal(JobStory.Run run, JobStory story) {
        JournalEntry entry = run.journal();
        if (entry == null) {
            if (story.state() == null) {
                return "not read";
            }
            return run.result() == null ? "no entry: waiting for a worker (queued, or not yet taken)"
                    : "no entry (forgotten after journal.retention)";
        }
        return switch (entry.kind()) {
            case SUBMITTING -> "submitting to Givon since " + entry.at() + " (attempt " + ((JournalEntry.Submitting) entry).attempt()
                    + ", no answer journaled yet)";
            case ACCEPTED -> {
                JournalEntry.Accepted accepted = (JournalEntry.Accepted) entry;
                yield "at Givon since " + (accepted.submittedAt() == null ? accepted.at() : accepted.submittedAt()) + " generation "
                        + safe(accepted.generationId()) + " (attempt " + accepted.attempt() + ")";
            }
            case PARKED -> {
                JournalEntry.Parked parked = (JournalEntry.Parked) entry;
                yield "parked until " + parked.resumesAt() + " (budget " + (parked.job().tenant() == null ? "* (default)"
                        : safe(parked.job().tenant())) + " spent; " + Numbers.tokens(parked.cost()) + " tokens to reserve)";
            }
            case FINISHED -> {
                JournalEntry.Finished finished = (JournalEntry.Finished) entry;
                yield "finished " + finished.status() + " at " + finished.at()
                        + (finished.generationId() == null ? "" : ", generation " + safe(finished.generationId()));
            }
        };
    }

    /** {@code 2026-05-01T10:00:03Z PARKED until 2026-05-02T00:00:00Z: BUDGET_EXHAUSTED (by worker-a)}. */
    static String progress(ProgressEvent event) {
        String what = switch (event.kind()) {
            case ADMITTED -> "ADMITTED: queued for its budget and a slot";
            case PARKED -> "PARKED until " + event.resumesAt() + ": " + safe(event.reason());
            case HELD -> "HELD: " + safe(event.reason()) + " until troupe resume";
            case SUBMITTED -> "SUBMITTED: generation " + safe(event.generationId()) + " (attempt " + event.attempt() + ")";
            case RETRYING -> "RETRYING: attempt " + event.attempt() + " failed (" + safe(event.reason()) + "), again at " + event.retryAt();
            case FINISHED -> "FINISHED " + event.status();
        };
        return event.at() + " " + what + (event.worker() == null ? "" : " (by " + safe(event.worker()) + ")");
    }

    /** {@code enqueued 2026-05-01T10:00:00Z, started +0s, submitted +1s, completed +1m 20s}: offsets from the first time known. */
    static Optional<String> timings(JobResult.Timings t) {
        Instant first = t.enqueuedAt() != null ? t.enqueuedAt() : t.startedAt() != null ? t.startedAt()
                : t.submittedAt() != null ? t.submittedAt() : t.completedAt();
        if (first == null) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        String[] names = {"enqueued", "started", "submitted", "completed"};
        Instant[] times = {t.enqueuedAt(), t.startedAt(), t.submittedAt(), t.completedAt()};
        for (int i = 0; i < names.length; i++) {
            if (times[i] == null) {
                continue;
            }
            parts.add(names[i] + " " + (parts.isEmpty() ? times[i].toString()
                    : (times[i].isBefore(first) ? "-" + Numbers.duration(Duration.between(times[i], first))
                            : "+" + Numbers.duration(Duration.between(first, times[i])))));
        }
        return Optional.of(String.join(", ", parts));
    }

    private static String where(JobStory.Where where) {
        return where.topic() + " partition " + where.partition();
    }

    private static void field(List<String> lines, String label, String value) {
        lines.add(("  " + String.format(java.util.Locale.ROOT, "%-10s", label) + " " + value).stripTrailing());
    }

    private static String safe(String text) {
        return BudgetTable.oneLine(Texts.clip(text, TEXT_CHARS));
    }
}
