package dev.troupe.worker.runner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The current snapshot of every job on this worker, by jobId and by partition, and the hand-backs
 * waiting for some of them to end. Only {@link JobLifecycle} changes it; confined to the runner's
 * event loop. A jobId is here at most once: a repeat of a job in flight waits for it ({@link RecentJobIds}).
 */
final class ActiveJobs {

    private final Map<String, JobSnapshot> byJobId = new HashMap<>();
    private final Map<TopicPartition, Set<String>> byPartition = new HashMap<>();
    private final List<HandBackWait> handBacks = new ArrayList<>();

    JobSnapshot current(String jobId) {
        return byJobId.get(jobId);
    }

    void put(JobSnapshot snapshot) {
        if (byJobId.put(snapshot.jobId(), snapshot) == null) {
            byPartition.computeIfAbsent(snapshot.partition(), p -> new LinkedHashSet<>()).add(snapshot.jobId());
        }
    }

    /** The job reached a terminal state: forget it, and release any hand-back it was holding up. */
    void remove(JobSnapshot snapshot) {
        if (byJobId.remove(snapshot.jobId()) == null) {
            return;
        }
        Set<String> jobIds = byPartition.get(snapshot.partition());
        if (jobIds != null) {
            jobIds.remove(snapshot.jobId());
            if (jobIds.isEmpty()) {
                byPartition.remove(snapshot.partition());
            }
        }
        handBacks.removeIf(wait -> wait.finished(snapshot.jobId()));
    }

    /** The jobs of these partitions, as they are now. */
    List<JobSnapshot> of(Collection<TopicPartition> partitions) {
        List<JobSnapshot> jobs = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            for (String jobId : byPartition.getOrDefault(tp, Set.of())) {
                jobs.add(byJobId.get(jobId));
            }
        }
        return jobs;
    }

    /** Calls {@code done} once every job of these partitions has been removed (at once if there is none). */
    void whenGone(Collection<TopicPartition> partitions, Runnable done) {
        Set<String> remaining = new HashSet<>();
        of(partitions).forEach(job -> remaining.add(job.jobId()));
        if (remaining.isEmpty()) {
            done.run();
        } else {
            handBacks.add(new HandBackWait(remaining, done));
        }
    }

    private record HandBackWait(Set<String> remaining, Runnable done) {
        boolean finished(String jobId) {
            remaining.remove(jobId);
            if (remaining.isEmpty()) {
                done.run();
                return true;
            }
            return false;
        }
    }
}
