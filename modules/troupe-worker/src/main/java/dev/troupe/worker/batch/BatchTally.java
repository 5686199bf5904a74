package dev.troupe.worker.batch;

import dev.troupe.model.BatchCompletion;
import dev.troupe.model.BatchDescriptor;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The tracker's one processor, per task (so per partition of batchIds): applies descriptors and
 * results to the batch's summary and the job's entry, forwards the batch's completion once when it
 * is due, and forgets batches untouched for the retention. A result touches one job entry and the
 * summary, never the batch's whole state; only the completion and the expiry walk a batch's jobs,
 * once each.
 */
final class BatchTally implements Processor<String, TrackerEvent, String, BatchCompletion> {

    static final String JOBS_STORE = "batch-jobs";
    static final String SUMMARIES_STORE = "batch-summaries";
    /** batchIds and jobIds are [A-Za-z0-9._:-]: a '/' cannot be part of either. */
    private static final char SEPARATOR = '/';

    private final Duration retention;
    private ProcessorContext<String, BatchCompletion> context;
    private KeyValueStore<String, JobEntry> jobs;
    private KeyValueStore<String, BatchSummary> summaries;

    BatchTally(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, BatchCompletion> context) {
        this.context = context;
        this.jobs = context.getStateStore(JOBS_STORE);
        this.summaries = context.getStateStore(SUMMARIES_STORE);
        // Expiry is checked a few times per retention, at most once a minute.
        long every = Math.max(100, Math.min(Duration.ofMinutes(1).toMillis(), retention.toMillis() / 4));
        context.schedule(Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<String, TrackerEvent> record) {
        String batchId = record.key();
        TrackerEvent event = record.value();
        if (batchId == null || event == null) {
            return;
        }
        long now = context.currentSystemTimeMs();
        BatchSummary summary = summaries.get(batchId);
        if (summary == null) {
            summary = BatchSummary.empty(now);
        }
        if (event instanceof TrackerEvent.Described described) {
            // A descriptor written again (the same manifest sent twice) replaces the first; a completed batch stays completed.
            summary = summary.described(described.descriptor(), now);
        } else if (event instanceof TrackerEvent.Ended ended) {
            String key = batchId + SEPARATOR + ended.jobId();
            JobEntry before = jobs.get(key);
            if (before != null && before.run() > ended.entry().run()) {
                return; // an earlier run read after a later one: the later one stands
            }
            jobs.put(key, ended.entry());
            summary = summary.replaced(before, ended.entry(), now);
        }
        if (summary.due()) {
            context.forward(new Record<>(batchId, completion(batchId, summary, now), record.timestamp()));
            summary = summary.completed(now);
        }
        summaries.put(batchId, summary);
    }

    private BatchCompletion completion(String batchId, BatchSummary summary, long now) {
        Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            counts.put(status, summary.counts()[status.ordinal()]);
        }
        List<BatchCompletion.Unsuccessful> listed = new ArrayList<>();
        int unsuccessful = summary.ended() - counts.get(JobStatus.SUCCEEDED);
        if (unsuccessful > 0) {
            try (KeyValueIterator<String, JobEntry> each = jobs.prefixScan(batchId + SEPARATOR, new StringSerializer())) {
                while (each.hasNext() && listed.size() < BatchCompletion.MAX_LISTED) {
                    KeyValue<String, JobEntry> job = each.next();
                    JobEntry entry = job.value;
                    if (entry.status() != JobStatus.SUCCEEDED) {
                        listed.add(new BatchCompletion.Unsuccessful(job.key.substring(batchId.length() + 1), entry.run(), entry.status(),
                                entry.code(), entry.message()));
                    }
                }
            }
        }
        BatchDescriptor descriptor = summary.descriptor();
        return new BatchCompletion(batchId, descriptor.tenant(), summary.ended(), counts, Tokens.ofMilli(Math.max(0, summary.costMilli())),
                Instant.ofEpochMilli(now), listed, unsuccessful - listed.size());
    }

    /** Forgets the batches untouched for the retention: completed ones, and ones whose descriptor never came. */
    private void expire(long now) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, BatchSummary> each = summaries.all()) {
            while (each.hasNext()) {
                KeyValue<String, BatchSummary> batch = each.next();
                if (now - batch.value.touchedAt() >= retention.toMillis()) {
                    expired.add(batch.key);
                }
            }
        }
        for (String batchId : expired) {
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, JobEntry> each = jobs.prefixScan(batchId + SEPARATOR, new StringSerializer())) {
                each.forEachRemaining(job -> keys.add(job.key));
            }
            keys.forEach(jobs::delete);
            summaries.delete(batchId);
        }
    }
}
