package dev.troupe.cli.dashboard;

import dev.troupe.cli.dashboard.ViewRecords.BatchDetail;
import dev.troupe.cli.dashboard.ViewRecords.BatchSummary;
import dev.troupe.cli.dashboard.ViewRecords.FailureGroup;
import dev.troupe.cli.dashboard.ViewRecords.Held;
import dev.troupe.cli.dashboard.ViewRecords.JobLine;
import dev.troupe.cli.dashboard.ViewRecords.Page;
import dev.troupe.cli.dashboard.ViewRecords.Parked;
import dev.troupe.cli.dashboard.ViewRecords.Throughput;
import dev.troupe.model.BatchCompletion;
import dev.troupe.model.BatchDescriptor;
import dev.troupe.model.JobResult;
import dev.troupe.model.ProgressEvent;
import dev.troupe.model.Tokens;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The dashboard's bounded picture of the installation, built from {@code troupe.results}, {@code troupe.progress}
 * and {@code troupe.batches} as they are read: batches with counts by phase, their jobs' rows, and results per
 * outcome over the last minutes. At most {@code maxRows} job rows (past it, the least recently changed
 * complete batch loses its rows and keeps its counts) and {@code maxBatches} batches (past it, the least
 * recently changed complete batch is forgotten). Jobs without a batch count in the throughput only.
 * Thread-safe: one feed writes, HTTP handlers read; every method holds the lock only for its own work.
 */
public final class DashboardView {

    public static final int THROUGHPUT_BUCKET_SECONDS = 5;
    public static final int THROUGHPUT_BUCKETS = 120;
    /** Batch ids an SSE change names before it says "all". */
    public static final int CHANGED_NAMED = 50;
    static final int FAILURE_GROUPS = 20;
    static final int FAILURE_IDS = 5;

    private final int maxRows;
    private final int maxBatches;
    private final Clock clock;
    private final Interner texts = new Interner();
    private final Map<String, BatchEntry> batches = new HashMap<>();
    private final TreeMap<Long, int[]> throughput = new TreeMap<>();
    private int rows;
    private long touches;
    private long evictedBatches;
    private long evictedRows;
    private long lateForEvicted;
    private long unreadable;
    // What changed since the last drain, for the browser's live updates.
    private long version;
    private final Set<String> changed = new LinkedHashSet<>();
    private boolean manyChanged;
    private boolean budgetsChanged;
    private boolean fleetChanged;

    public DashboardView(int maxRows, int maxBatches, Clock clock) {
        if (maxRows < 1 || maxBatches < 1) {
            throw new IllegalArgumentException("the view's bounds must be positive, got " + maxRows + " rows, " + maxBatches + " batches");
        }
        this.maxRows = maxRows;
        this.maxBatches = maxBatches;
        this.clock = clock;
    }

    // ---- what the feed hands in ----

    public synchronized void accept(JobResult result) {
        countThroughput(result);
        if (result.batchId() == null) {
            return;
        }
        BatchEntry batch = batch(result.batchId(), result.tenant());
        JobRow row = batch.rows.get(result.jobId());
        if (row == null) {
            if (batch.rowsEvicted) {
                countWithoutRow(batch, result);
                return;
            }
            row = newRow(batch, result.jobId());
        }
        if (row.firstPaid(result)) {
            batch.spentMilli += result.costTokens().milli();
        }
        JobPhase before = row.phase;
        if (row.take(result, texts)) {
            batch.move(before, row.phase);
            Instant started = result.timings().startedAt() != null ? result.timings().startedAt() : result.timings().enqueuedAt();
            if (started != null && (batch.startedAt == 0 || started.toEpochMilli() < batch.startedAt)) {
                batch.startedAt = started.toEpochMilli();
            }
            batch.lastCompletedAt = Math.max(batch.lastCompletedAt, row.completedAt);
        }
        touch(batch);
        evictRows(batch);
    }

    public synchronized void accept(ProgressEvent event) {
        if (event.batchId() == null) {
            return;
        }
        BatchEntry batch = batch(event.batchId(), event.tenant());
        JobRow row = batch.rows.get(event.jobId());
        if (row == null) {
            if (batch.rowsEvicted) {
                return;
            }
            row = newRow(batch, event.jobId());
        }
        JobPhase before = row.phase;
        if (row.take(event)) {
            batch.move(before, row.phase);
            if (batch.startedAt == 0 || event.at().toEpochMilli() < batch.startedAt) {
                batch.startedAt = event.at().toEpochMilli();
            }
            touch(batch);
        }
        evictRows(batch);
    }

    public synchronized void accept(BatchDescriptor descriptor) {
        BatchEntry batch = batch(descriptor.batchId(), descriptor.tenant());
        if (descriptor.tenant() != null) {
            batch.tenant = descriptor.tenant();
        }
        batch.expectedJobs = descriptor.jobs();
        batch.estimatedMilli = descriptor.estimatedTokens() == null ? -1 : descriptor.estimatedTokens().milli();
        batch.createdAt = descriptor.createdAt() == null ? 0 : descriptor.createdAt().toEpochMilli();
        touch(batch);
    }

    public synchronized void accept(BatchCompletion completion) {
        BatchEntry batch = batch(completion.batchId(), completion.tenant());
        batch.completionAt = completion.completedAt() == null ? clock.millis() : completion.completedAt().toEpochMilli();
        if (batch.expectedJobs < 0) {
            batch.expectedJobs = completion.jobs();
        }
        touch(batch);
    }

    /** A record of one of the topics that could not be read (another version's, damaged): counted, skipped. */
    public synchronized void unreadable() {
        unreadable++;
    }

    public synchronized void budgetsChanged() {
        budgetsChanged = true;
        version++;
    }

    public synchronized void fleetChanged() {
        fleetChanged = true;
        version++;
    }

    // ---- what the pages ask ----

    /**
     * Batches matching the query, sorted and paged. {@code state}: running, complete or all; {@code sort}: started,
     * name, tenant, progress or finished.
     */
    public synchronized Page<BatchSummary> batches(BatchQuery query) {
        long now = clock.millis();
        List<BatchSummary> matching = new ArrayList<>();
        for (BatchEntry batch : batches.values()) {
            if (query.matches(batch)) {
                matching.add(summary(batch, now));
            }
        }
        matching.sort(query.order());
        return page(matching, query.offset(), query.limit());
    }

    /** The tenants of the batches held, sorted; for the page's filter. */
    public synchronized List<String> tenants() {
        TreeSet<String> tenants = new TreeSet<>();
        batches.values().forEach(b -> tenants.add(tenantOf(b)));
        return List.copyOf(tenants);
    }

    public synchronized BatchDetail batch(String batchId) {
        BatchEntry batch = batches.get(batchId);
        if (batch == null) {
            return null;
        }
        Map<String, Failures> groups = new LinkedHashMap<>();
        long parkedUntil = 0;
        for (JobRow row : sortedRows(batch)) {
            if (row.phase == JobPhase.PARKED && (parkedUntil == 0 || row.parkedUntil < parkedUntil)) {
                parkedUntil = row.parkedUntil;
            }
            if (row.phase != null && row.phase.finished() && row.phase != JobPhase.SUCCEEDED) {
                String code = row.error == null ? null : row.error.code();
                groups.computeIfAbsent(row.phase + " " + code, k -> new Failures(row.phase, code, row.error == null ? null
                        : row.error.message())).add(row.jobId);
            }
        }
        List<FailureGroup> failures = new ArrayList<>();
        groups.values().forEach(group -> failures.add(new FailureGroup(group.phase.name(), group.code, group.count, group.message,
                List.copyOf(group.jobIds))));
        failures.sort(Comparator.comparingInt(FailureGroup::count).reversed().thenComparing(FailureGroup::status));
        return new BatchDetail(summary(batch, clock.millis()), failures.subList(0, Math.min(FAILURE_GROUPS, failures.size())),
                parkedUntil == 0 ? null : Instant.ofEpochMilli(parkedUntil));
    }

    /** The failures of one status and code while a batch's rows are read: the first message, a count, the first few jobIds. */
    private static final class Failures {
        final JobPhase phase;
        final String code;
        final String message;
        final List<String> jobIds = new ArrayList<>();
        int count;

        Failures(JobPhase phase, String code, String message) {
            this.phase = phase;
            this.code = code;
            this.message = message;
        }

        void add(String jobId) {
            count++;
            if (jobIds.size() < FAILURE_IDS) {
                jobIds.add(jobId);
            }
        }
    }

    /**
     * The jobs of a batch in jobId order, those in {@code phase} (null: all) whose jobId, character or motion
     * holds {@code text} (case-insensitive; null or empty: all); null when the batch is not held.
     */
    public synchronized Page<JobLine> jobs(String batchId, JobPhase phase, String text, int offset, int limit) {
        BatchEntry batch = batches.get(batchId);
        if (batch == null) {
            return null;
        }
        String needle = text == null || text.isEmpty() ? null : text.toLowerCase(Locale.ROOT);
        int total = 0;
        List<JobLine> items = new ArrayList<>();
        for (JobRow row : sortedRows(batch)) {
            if (phase != null && row.phase != phase || needle != null && !contains(row, needle)) {
                continue;
            }
            if (total >= offset && items.size() < limit) {
                items.add(line(row));
            }
            total++;
        }
        return new Page<>(total, offset, limit, items);
    }

    /** Results per outcome in {@value #THROUGHPUT_BUCKET_SECONDS} s buckets over the last ten minutes, every bucket present. */
    public synchronized Throughput throughput() {
        long newest = clock.millis() / 1000 / THROUGHPUT_BUCKET_SECONDS;
        prune(newest);
        List<Map.Entry<Instant, int[]>> buckets = new ArrayList<>();
        for (long b = newest - THROUGHPUT_BUCKETS + 1; b <= newest; b++) {
            int[] counts = throughput.get(b);
            buckets.add(Map.entry(Instant.ofEpochSecond(b * THROUGHPUT_BUCKET_SECONDS),
                    counts == null ? new int[JobPhase.OUTCOMES] : counts.clone()));
        }
        return new Throughput(THROUGHPUT_BUCKET_SECONDS, buckets);
    }

    /** Jobs parked on spent budgets by budget key ({@code budgetKey} maps a batch's tenant to it). */
    public synchronized Map<String, Parked> parked(Function<String, String> budgetKey) {
        Map<String, int[]> jobs = new TreeMap<>();
        Map<String, Long> first = new HashMap<>();
        for (BatchEntry batch : batches.values()) {
            if (batch.count(JobPhase.PARKED) == 0) {
                continue;
            }
            String key = budgetKey.apply(batch.tenant);
            for (JobRow row : batch.rows.values()) {
                if (row.phase == JobPhase.PARKED) {
                    jobs.computeIfAbsent(key, k -> new int[1])[0]++;
                    first.merge(key, row.parkedUntil, Math::min);
                }
            }
        }
        Map<String, Parked> parked = new TreeMap<>();
        jobs.forEach((key, count) -> parked.put(key, new Parked(count[0], Instant.ofEpochMilli(first.get(key)))));
        return parked;
    }

    public synchronized Held held() {
        return new Held(rows, batches.size(), evictedBatches, evictedRows, unreadable, lateForEvicted);
    }

    /** What changed since the last call, or null when nothing did; resets. */
    public synchronized Change drainChanges() {
        if (changed.isEmpty() && !manyChanged && !budgetsChanged && !fleetChanged) {
            return null;
        }
        Change change = new Change(version, manyChanged ? null : List.copyOf(changed), budgetsChanged, fleetChanged);
        changed.clear();
        manyChanged = false;
        budgetsChanged = false;
        fleetChanged = false;
        return change;
    }

    /** @param batches the batch ids whose figures changed; null when more than {@value #CHANGED_NAMED} did */
    public record Change(long version, List<String> batches, boolean budgets, boolean fleet) {
    }

    // ---- inside ----

    private BatchEntry batch(String batchId, String tenant) {
        BatchEntry batch = batches.get(batchId);
        if (batch == null) {
            batch = new BatchEntry(batchId);
            batch.tenant = tenant;
            batches.put(batchId, batch);
            if (batches.size() > maxBatches) {
                forgetOneBatch(batch);
            }
        } else if (batch.tenant == null && tenant != null) {
            batch.tenant = tenant;
        }
        return batch;
    }

    private JobRow newRow(BatchEntry batch, String jobId) {
        JobRow row = new JobRow(jobId);
        batch.rows.put(jobId, row);
        rows++;
        return row;
    }

    private void touch(BatchEntry batch) {
        batch.touched = ++touches;
        version++;
        if (!manyChanged) {
            changed.add(batch.batchId);
            if (changed.size() > CHANGED_NAMED) {
                manyChanged = true;
                changed.clear();
            }
        }
    }

    /**
     * While over the row bound, the least recently changed batch (complete ones first) other than {@code current}
     * gives up its rows; {@code current} last, when it alone holds more than the bound: the bound is never passed.
     */
    private void evictRows(BatchEntry current) {
        while (rows > maxRows) {
            BatchEntry victim = leastRecent(b -> b != current && !b.rowsEvicted && !b.rows.isEmpty());
            if (victim == null) {
                victim = current;
            }
            rows -= victim.rows.size();
            evictedRows += victim.rows.size();
            victim.rows = Map.of();
            victim.rowsEvicted = true;
            // Where its unfinished jobs are is no longer known: they count as not seen (queued) until their results come.
            for (JobPhase phase : JobPhase.ALL) {
                if (!phase.finished()) {
                    victim.phases[phase.ordinal()] = 0;
                }
            }
        }
    }

    /**
     * A result of a batch whose rows were let go: without its row it cannot be told from one counted before, so it
     * counts only while the batch has fewer finished jobs than its descriptor says (a batch still running when its
     * rows went completes); past that (a retry or a repeat) it is counted as late and changes nothing.
     */
    private void countWithoutRow(BatchEntry batch, JobResult result) {
        if (batch.expectedJobs < 0 || batch.finished() >= batch.expectedJobs) {
            lateForEvicted++;
            return;
        }
        batch.move(null, JobPhase.of(result.status()));
        batch.spentMilli += result.costTokens().milli();
        if (result.timings().completedAt() != null) {
            batch.lastCompletedAt = Math.max(batch.lastCompletedAt, result.timings().completedAt().toEpochMilli());
        }
        touch(batch);
    }

    private void forgetOneBatch(BatchEntry current) {
        BatchEntry victim = leastRecent(b -> b != current);
        if (victim != null) {
            batches.remove(victim.batchId);
            rows -= victim.rows.size();
            evictedBatches++;
        }
    }

    /** The least recently touched batch that {@code eligible} allows, complete ones before running ones. */
    private BatchEntry leastRecent(Predicate<BatchEntry> eligible) {
        BatchEntry complete = null;
        BatchEntry any = null;
        for (BatchEntry batch : batches.values()) {
            if (!eligible.test(batch)) {
                continue;
            }
            if (batch.complete() && (complete == null || batch.touched < complete.touched)) {
                complete = batch;
            }
            if (any == null || batch.touched < any.touched) {
                any = batch;
            }
        }
        return complete != null ? complete : any;
    }

    private void countThroughput(JobResult result) {
        Instant at = result.timings().completedAt();
        long newest = clock.millis() / 1000 / THROUGHPUT_BUCKET_SECONDS;
        long bucket = (at == null ? clock.millis() / 1000 : at.getEpochSecond()) / THROUGHPUT_BUCKET_SECONDS;
        if (bucket <= newest - THROUGHPUT_BUCKETS || bucket > newest + 1) {
            return; // older than the chart, or from a clock far ahead of this one
        }
        throughput.computeIfAbsent(Math.min(bucket, newest), b -> new int[JobPhase.OUTCOMES])[result.status().ordinal()]++;
        prune(newest);
    }

    private void prune(long newest) {
        while (!throughput.isEmpty() && throughput.firstKey() <= newest - THROUGHPUT_BUCKETS) {
            throughput.pollFirstEntry();
        }
    }

    private BatchSummary summary(BatchEntry batch, long now) {
        EnumMap<JobPhase, Integer> phases = new EnumMap<>(JobPhase.class);
        for (JobPhase phase : JobPhase.ALL) {
            phases.put(phase, batch.count(phase));
        }
        phases.merge(JobPhase.QUEUED, batch.unseen(), Integer::sum);
        boolean complete = batch.complete();
        double rate = batch.rate(now);
        int left = batch.jobs() - batch.finished();
        double eta = complete ? 0 : rate > 0 && batch.expectedJobs >= 0 ? left / rate : -1;
        return new BatchSummary(batch.batchId, tenantOf(batch), batch.jobs(), batch.expectedJobs >= 0, phases, batch.finished(), complete,
                Tokens.ofMilli(batch.spentMilli), batch.estimatedMilli < 0 ? null : Tokens.ofMilli(batch.estimatedMilli),
                instant(batch.startedAt > 0 ? batch.startedAt : batch.createdAt), instant(batch.finishedAt()), rate, eta, !batch.rowsEvicted);
    }

    private static String tenantOf(BatchEntry batch) {
        return batch.tenant == null ? "default" : batch.tenant;
    }

    private static List<JobRow> sortedRows(BatchEntry batch) {
        List<JobRow> sorted = new ArrayList<>(batch.rows.values());
        sorted.sort(Comparator.comparing(row -> row.jobId));
        return sorted;
    }

    private static boolean contains(JobRow row, String needle) {
        return row.jobId.toLowerCase(Locale.ROOT).contains(needle)
                || row.character != null && row.character.toLowerCase(Locale.ROOT).contains(needle)
                || row.motion != null && row.motion.toLowerCase(Locale.ROOT).contains(needle);
    }

    private static JobLine line(JobRow row) {
        boolean result = row.hasResult;
        return new JobLine(row.jobId, row.phase, row.run, row.character, row.motion, result ? row.renderSeconds() : -1,
                result ? Tokens.ofMilli(row.costMilli) : null, row.attempts, row.generationId, result ? row.videoUrl : null,
                result && row.error != null ? row.error.code() : null, result && row.error != null ? row.error.message() : null,
                result ? instant(row.completedAt) : null, row.parkedUntil == 0 ? null : Instant.ofEpochMilli(row.parkedUntil));
    }

    private static <T> Page<T> page(List<T> all, int offset, int limit) {
        int from = Math.min(offset, all.size());
        int to = Math.min(all.size(), from + limit);
        return new Page<>(all.size(), offset, limit, List.copyOf(all.subList(from, to)));
    }

    private static Instant instant(long millis) {
        return millis <= 0 ? null : Instant.ofEpochMilli(millis);
    }
}
