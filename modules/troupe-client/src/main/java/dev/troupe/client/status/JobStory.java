package dev.troupe.client.status;

import dev.troupe.model.JobResult;
import dev.troupe.model.JournalEntry;
import dev.troupe.model.MotionJob;
import dev.troupe.model.ProgressEvent;
import dev.troupe.model.Tokens;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One job's whole story as the topics tell it (what {@code troupe status} prints): every run sent on the
 * jobs topic, each run's latest journal entry and its results, and which result is the job's outcome.
 * Bounded whatever the topics hold: at most {@value #MAX_RUNS} runs (the latest) and, per run, at most
 * {@value #MAX_LISTED} records sent and results set aside, and the latest {@value #MAX_PROGRESS} progress
 * events, the rest counted.
 *
 * @param jobs    where its records are on the jobs topic
 * @param results where its results are on the results topic
 * @param state   where its journal is, or null when the journal topic was not read ({@code stateNote} says why)
 * @param progressNote why progress events were not read, or null when they were
 * @param job     the job as last sent (its latest run's record), or null when no valid record of it is left
 * @param runs    the runs shown, oldest first
 * @param runsLeftOut earlier runs not shown
 * @param unreadable records keyed by the job that could not be read (results, journal entries)
 */
public record JobStory(String jobId, Instant readAt, Where jobs, Where results, Where state, String stateNote,
                       String progressNote, MotionJob job, Tokens estimate, List<Run> runs, int runsLeftOut, int unreadable) {

    /** Runs shown at most: the latest ones. */
    public static final int MAX_RUNS = 20;
    /** Records sent, and results set aside, listed at most per run. */
    public static final int MAX_LISTED = 10;
    /** Progress events listed at most per run: the latest ones. */
    public static final int MAX_PROGRESS = 30;

    public JobStory {
        runs = List.copyOf(runs);
    }

    /** A topic and the one partition of it that holds this job's records. */
    public record Where(String topic, int partition) {
    }

    /** One record of the job on the jobs topic: when it was sent, and whether it is a job a worker runs. */
    public record Sent(long offset, Instant at, boolean valid, String problem) {
    }

    /** A result and its offset on the results topic. */
    public record Placed(long offset, JobResult result) {
    }

    /**
     * One run of the job.
     *
     * @param journal    its latest journal entry, or null (never journaled, forgotten after retention, or the journal off)
     * @param result     the run's result (of several, the one completed latest), or null while it has none
     * @param setAside   the run's other results: published again, or earlier generations
     * @param progress   the run's latest progress events, oldest first; {@code progressLeftOut} earlier ones not listed
     */
    public record Run(int run, List<Sent> sent, int sentLeftOut, JournalEntry journal, Placed result, List<Placed> setAside,
                      int setAsideLeftOut, List<ProgressEvent> progress, int progressLeftOut) {
        public Run {
            sent = List.copyOf(sent);
            setAside = List.copyOf(setAside);
            progress = List.copyOf(progress);
        }
    }

    /** Whether the topics know the job at all. */
    public boolean known() {
        return !runs.isEmpty() || runsLeftOut > 0;
    }

    /** The run whose result is the job's outcome: the latest run that has one ({@link JobResult#outcomeOf}). */
    public Optional<Run> outcome() {
        for (int i = runs.size() - 1; i >= 0; i--) {
            if (runs.get(i).result() != null) {
                return Optional.of(runs.get(i));
            }
        }
        return Optional.empty();
    }

    /** The latest run sent or journaled, if any is shown. */
    public Optional<Run> latest() {
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1));
    }
}
