package dev.troupe.worker.runner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The jobs running on this worker, by partition, and the revocations waiting for some of them to
 * end. Confined to the runner's event loop.
 */
final class ActiveJobs {

    private final Map<TopicPartition, Set<JobExecution>> byPartition = new HashMap<>();
    private final List<RevocationWait> revocations = new ArrayList<>();

    void add(JobExecution exec) {
        byPartition.computeIfAbsent(exec.record.partition(), p -> new LinkedHashSet<>()).add(exec);
    }

    /** The job reached a terminal state: forget it, and release any revocation it was holding up. */
    void remove(JobExecution exec) {
        Set<JobExecution> execs = byPartition.get(exec.record.partition());
        if (execs != null) {
            execs.remove(exec);
            if (execs.isEmpty()) {
                byPartition.remove(exec.record.partition());
            }
        }
        revocations.removeIf(wait -> wait.finished(exec));
    }

    /**
     * Hands back the partitions' jobs that Givon cannot hold ({@code abandon} is called for each); the
     * future completes once every other job of these partitions has been removed.
     */
    void handBack(Collection<TopicPartition> partitions, Consumer<JobExecution> abandon, CompletableFuture<Void> done) {
        Set<JobExecution> running = new HashSet<>();
        for (TopicPartition tp : partitions) {
            Set<JobExecution> execs = byPartition.get(tp);
            if (execs == null) {
                continue;
            }
            for (JobExecution exec : List.copyOf(execs)) {
                if (exec.unsubmitted()) {
                    abandon.accept(exec);
                } else {
                    running.add(exec);
                }
            }
        }
        if (running.isEmpty()) {
            done.complete(null);
        } else {
            revocations.add(new RevocationWait(running, done));
        }
    }

    private record RevocationWait(Set<JobExecution> running, CompletableFuture<Void> done) {
        boolean finished(JobExecution exec) {
            running.remove(exec);
            if (running.isEmpty()) {
                done.complete(null);
                return true;
            }
            return false;
        }
    }
}
