package dev.troupe.client.status;

import dev.troupe.client.KafkaConnection;
import dev.troupe.client.MissingTopicsException;
import dev.troupe.client.results.TopicScan;
import dev.troupe.model.DecodeResult;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JournalCodec;
import dev.troupe.model.JournalDecodeResult;
import dev.troupe.model.JournalEntry;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.MotionJob;
import dev.troupe.model.ProgressCodec;
import dev.troupe.model.ProgressEvent;
import dev.troupe.model.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads one job's story: only the partition of each topic that holds it. Its records and results are
 * keyed by jobId, so they sit in the partition the key hashes to; its journal entries (keyed by the run's
 * key, {@link MotionJob#runKey}) are written to the state partition numbered as its jobs partition. Reads
 * read_committed, outside any group; decodes only the records keyed by the job.
 */
public final class JobStoryReader {

    /**
     * The topics to read; {@code state} may be null (the journal is off), {@code progress} null (not read); either
     * is skipped when it does not exist.
     */
    public record Topics(String jobs, String results, String state, String progress) {
    }

    private final KafkaConnection kafka;
    private final JobCodec codec;
    private final JournalCodec journal;
    private final ModelCatalog catalog;
    private final Clock clock;

    public JobStoryReader(KafkaConnection kafka, JobCodec codec, ModelCatalog catalog, Clock clock) {
        this.kafka = kafka;
        this.codec = codec;
        this.journal = new JournalCodec(codec);
        this.catalog = catalog;
        this.clock = clock;
    }

    public JobStory read(Topics topics, String jobId) {
        Instant readAt = clock.instant();
        byte[] key = jobId.getBytes(StandardCharsets.UTF_8);
        TreeMap<Integer, RunTally> runs = new TreeMap<>();
        MotionJob[] latestJob = {null};
        int[] unreadable = {0};

        int jobsPartition = TopicScan.readKeyPartitionToEnd(kafka, topics.jobs(), key, "troupe-status-jobs", record -> {
            if (!Arrays.equals(record.key(), key) || record.value() == null) {
                return;
            }
            DecodeResult decoded = codec.decode(record.value());
            if (decoded instanceof DecodeResult.Decoded ok && ok.job().jobId().equals(jobId)) {
                run(runs, ok.job().run()).sent(new JobStory.Sent(record.offset(), Instant.ofEpochMilli(record.timestamp()), true, null));
                if (latestJob[0] == null || ok.job().run() >= latestJob[0].run()) {
                    latestJob[0] = ok.job();
                }
            } else if (decoded instanceof DecodeResult.Invalid bad && jobId.equals(bad.jobId())) {
                run(runs, bad.run()).sent(new JobStory.Sent(record.offset(), Instant.ofEpochMilli(record.timestamp()), false,
                        bad.violations().size() + " invalid field(s), first " + bad.violations().get(0).path()));
            }
        });

        int resultsPartition = TopicScan.readKeyPartitionToEnd(kafka, topics.results(), key, "troupe-status-results", record -> {
            if (!Arrays.equals(record.key(), key) || record.value() == null) {
                return;
            }
            JobResult result;
            try {
                result = codec.decodeResult(record.value());
            } catch (RuntimeException e) {
                unreadable[0]++;
                return;
            }
            if (result.jobId().equals(jobId)) {
                run(runs, result.run()).result(new JobStory.Placed(record.offset(), result));
            }
        });

        JobStory.Where state = null;
        String stateNote = null;
        if (topics.state() == null) {
            stateNote = "the journal is off (journal.enabled: false)";
        } else {
            try {
                TopicScan.readPartitionToEnd(kafka, topics.state(), jobsPartition, "troupe-status-state",
                        record -> journaled(record, jobId, runs, unreadable));
                state = new JobStory.Where(topics.state(), jobsPartition);
            } catch (MissingTopicsException e) {
                stateNote = topics.state() + " does not exist: the journal is off, or its topic not created";
            } catch (IllegalArgumentException e) {
                stateNote = e.getMessage() + " (topics.state.partitions must equal topics.jobs.partitions)";
            }
        }

        String progressNote = null;
        if (topics.progress() == null) {
            progressNote = "not read";
        } else {
            ProgressCodec progress = new ProgressCodec();
            try {
                TopicScan.readKeyPartitionToEnd(kafka, topics.progress(), key, "troupe-status-progress", record -> {
                    // Informative, best-effort events: one that cannot be read is skipped, not counted against the job.
                    if (Arrays.equals(record.key(), key) && progress.decode(record.value()) instanceof ProgressCodec.Event event
                            && event.event().jobId().equals(jobId)) {
                        run(runs, event.event().run()).progressed(event.event());
                    }
                });
            } catch (MissingTopicsException e) {
                progressNote = topics.progress() + " does not exist (an installation older than progress events)";
            }
        }

        MotionJob job = latestJob[0];
        Tokens estimate = job == null ? null : catalog.find(job.model()).map(m -> m.cost(job.input())).orElse(null);
        List<JobStory.Run> shown = new ArrayList<>();
        int leftOut = Math.max(0, runs.size() - JobStory.MAX_RUNS);
        runs.values().stream().skip(leftOut).forEach(tally -> shown.add(tally.run()));
        return new JobStory(jobId, readAt, new JobStory.Where(topics.jobs(), jobsPartition),
                new JobStory.Where(topics.results(), resultsPartition), state, stateNote, progressNote, job, estimate, shown, leftOut, unreadable[0]);
    }

    /** The latest entry of each run key of this job wins; a tombstone forgets the run's entry. */
    private void journaled(ConsumerRecord<byte[], byte[]> record, String jobId, Map<Integer, RunTally> runs, int[] unreadable) {
        if (record.key() == null) {
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        int run = runOf(key, jobId);
        if (run < 0) {
            return;
        }
        if (record.value() == null) {
            RunTally tally = runs.get(run);
            if (tally != null) {
                tally.journal = null;
            }
            return;
        }
        if (journal.decode(record.value()) instanceof JournalDecodeResult.Decoded decoded) {
            run(runs, run).journal = decoded.entry();
        } else {
            unreadable[0]++;
        }
    }

    /** The run a journal key names for this job ({@code jobId}: 1, {@code jobId#n}: n), or -1 for another job's. */
    static int runOf(String key, String jobId) {
        if (key.equals(jobId)) {
            return MotionJob.FIRST_RUN;
        }
        String prefix = jobId + MotionJob.RUN_SEPARATOR;
        if (!key.startsWith(prefix) || key.length() == prefix.length() || key.length() > prefix.length() + 4) {
            return -1;
        }
        String number = key.substring(prefix.length());
        if (!number.chars().allMatch(c -> c >= '0' && c <= '9') || number.startsWith("0")) {
            return -1;
        }
        int run = Integer.parseInt(number);
        return run <= MotionJob.MAX_RUN ? run : -1;
    }

    private static RunTally run(Map<Integer, RunTally> runs, int run) {
        return runs.computeIfAbsent(run, RunTally::new);
    }

    /** What is read of one run so far, bounded: lists stop at {@link JobStory#MAX_LISTED} and count on. */
    private static final class RunTally {
        private final int run;
        private final List<JobStory.Sent> sent = new ArrayList<>();
        private int sentLeftOut;
        private JournalEntry journal;
        private JobStory.Placed result;
        private final List<JobStory.Placed> setAside = new ArrayList<>();
        private int setAsideLeftOut;
        private final java.util.ArrayDeque<ProgressEvent> progress = new java.util.ArrayDeque<>();
        private int progressLeftOut;

        RunTally(int run) {
            this.run = run;
        }

        void sent(JobStory.Sent record) {
            if (sent.size() < JobStory.MAX_LISTED) {
                sent.add(record);
            } else {
                sentLeftOut++;
            }
        }

        void result(JobStory.Placed later) {
            if (result == null) {
                result = later;
                return;
            }
            JobStory.Placed kept = JobResult.outcomeOf(result.result(), later.result()) == later.result() ? later : result;
            aside(kept == later ? result : later);
            result = kept;
        }

        private void aside(JobStory.Placed placed) {
            if (setAside.size() < JobStory.MAX_LISTED) {
                setAside.add(placed);
            } else {
                setAsideLeftOut++;
            }
        }

        /** Keeps the latest events: where a job is now matters more than how it started. */
        void progressed(ProgressEvent event) {
            if (progress.size() == JobStory.MAX_PROGRESS) {
                progress.pollFirst();
                progressLeftOut++;
            }
            progress.addLast(event);
        }

        JobStory.Run run() {
            List<JobStory.Placed> aside = new ArrayList<>(setAside);
            aside.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            return new JobStory.Run(run, sent, sentLeftOut, journal, result, aside, setAsideLeftOut, List.copyOf(progress),
                    progressLeftOut);
        }
    }
}
