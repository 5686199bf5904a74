package dev.troupe.worker.runner;

import dev.troupe.model.JournalEntry;
import dev.troupe.worker.budget.Reservation;
import dev.troupe.worker.journal.JobJournal;
import io.vertx.core.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings shelved jobs back from the journal when their turn comes: the jobs a retry makes due in one
 * event-loop task are read back together, per partition, {@value #READ_BACK_BATCH} at a time, and
 * each goes on as Admitted with the budget the retry reserved for it. A read that fails gives the
 * budget back and parks the jobs again for a while; a revoked partition's reads are cancelled at
 * once (its jobs are the next owner's, which finds them in the journal). Confined to the runner's event loop.
 */
final class JournalResume {

    private static final Logger log = LoggerFactory.getLogger(JournalResume.class);
    static final int READ_BACK_BATCH = 256;
    /** How long jobs whose read-back failed wait before they are tried again. */
    static final Duration AFTER_FAILED_READ = Duration.ofSeconds(5);

    private final Context context;
    private final JobJournal journal;
    private final JobLifecycle lifecycle;
    private final BudgetGate budget;
    private final Clock clock;
    /** A job that will not resume here after all (cancelled, or not in the journal): its jobId is free again. */
    private final Consumer<ParkedJob> gone;
    /** Due, not yet sent to the journal: flushed at the end of the task that made them due. */
    private final List<Due> waiting = new ArrayList<>();
    /** Being read back, by partition. */
    private final Map<TopicPartition, List<Due>> reading = new HashMap<>();
    private boolean flushScheduled;

    private static final class Due {
        final ParkedJob job;
        final Reservation reservation;
        boolean cancelled;

        Due(ParkedJob job, Reservation reservation) {
            this.job = job;
            this.reservation = reservation;
        }
    }

    JournalResume(Context context, JobJournal journal, JobLifecycle lifecycle, BudgetGate budget, Clock clock, Consumer<ParkedJob> gone) {
        this.context = context;
        this.journal = journal;
        this.lifecycle = lifecycle;
        this.budget = budget;
        this.clock = clock;
        this.gone = gone;
    }

    /** The job's turn came, with {@code reservation} held for it (null: it is to be decided on, rejected say). */
    void due(ParkedJob job, Reservation reservation) {
        waiting.add(new Due(job, reservation));
        if (!flushScheduled) {
            flushScheduled = true;
            context.runOnContext(v -> flush());
        }
    }

    /** Cancels the reads of revoked partitions, gives their budget back; returns their jobs. */
    List<ParkedJob> cancel(Set<TopicPartition> revoked) {
        List<ParkedJob> cancelled = new ArrayList<>();
        for (Iterator<Due> it = waiting.iterator(); it.hasNext(); ) {
            Due due = it.next();
            if (revoked.contains(due.job.partition())) {
                it.remove();
                cancelled.add(cancelled(due));
            }
        }
        for (TopicPartition partition : revoked) {
            for (Due due : reading.getOrDefault(partition, List.of())) {
                if (!due.cancelled) {
                    cancelled.add(cancelled(due));
                }
            }
        }
        return cancelled;
    }

    private ParkedJob cancelled(Due due) {
        due.cancelled = true;
        budget.release(due.reservation, due.job.jobId(), due.job.tenant());
        return due.job;
    }

    private void flush() {
        flushScheduled = false;
        Map<TopicPartition, List<Due>> byPartition = new HashMap<>();
        waiting.forEach(due -> byPartition.computeIfAbsent(due.job.partition(), p -> new ArrayList<>()).add(due));
        waiting.clear();
        byPartition.forEach((partition, dues) -> {
            for (int from = 0; from < dues.size(); from += READ_BACK_BATCH) {
                read(partition, List.copyOf(dues.subList(from, Math.min(dues.size(), from + READ_BACK_BATCH))));
            }
        });
    }

    private void read(TopicPartition partition, List<Due> batch) {
        reading.computeIfAbsent(partition, p -> new ArrayList<>()).addAll(batch);
        journal.readBack(partition, batch.stream().map(due -> due.job.journalOffset()).toList()).onComplete(read -> {
            List<Due> open = reading.get(partition);
            if (open != null) {
                open.removeAll(batch);
                if (open.isEmpty()) {
                    reading.remove(partition);
                }
            }
            for (Due due : batch) {
                if (due.cancelled) {
                    continue;
                }
                if (read.failed()) {
                    // Released before it parks again: the retry the release sets off must not pick it at once.
                    budget.release(due.reservation, due.job.jobId(), due.job.tenant());
                    budget.parkRestored(due.job, clock.instant().plus(AFTER_FAILED_READ));
                } else {
                    begin(due, read.result().get(due.job.journalOffset()));
                }
            }
            if (read.failed()) {
                log.warn("{}: {} parked job(s) were not read back from the journal; tried again in {}: {}", partition, batch.size(),
                        AFTER_FAILED_READ, read.cause().toString());
            }
        });
    }

    private void begin(Due due, JournalEntry entry) {
        ParkedJob job = due.job;
        if (lifecycle.jobs().current(job.jobId()) != null) {
            // Not expected: its jobId stays in flight while it is parked, so no repeat runs meanwhile.
            log.warn("{}: parked job {} is running already; the parked entry is not resumed", job.partition(), job.jobId());
            budget.release(due.reservation, job.jobId(), job.tenant());
            return;
        }
        if (!(entry instanceof JournalEntry.Parked parked) || !parked.jobId().equals(job.jobId())) {
            log.error("{}: parked job {} is not in the journal at offset {} any more (found {}); it cannot be resumed", job.partition(),
                    job.jobId(), job.journalOffset(), entry == null ? "nothing" : entry.kind() + " of " + entry.jobId());
            budget.release(due.reservation, job.jobId(), job.tenant());
            gone.accept(job);
            return;
        }
        var now = clock.instant();
        JobSnapshot admitted = JobSnapshot.resumed(job.partition(), job.assignment(), parked.job(), parked.enqueuedAt(), job.cost(),
                now, null);
        lifecycle.begin(admitted);
        budget.resume(admitted, due.reservation, now);
    }
}
