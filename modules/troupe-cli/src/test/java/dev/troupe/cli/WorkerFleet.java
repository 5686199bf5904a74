package dev.troupe.cli;

import static org.awaitility.Awaitility.await;

import dev.troupe.testkit.KafkaCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * A fleet of {@code troupe worker} JVMs on one configuration, one per slot: a killed one is replaced
 * in its slot. Every process started, killed ones too, is kept for a failure's output.
 */
final class WorkerFleet implements AutoCloseable {

    private final KafkaCluster kafka;
    private final TestTopics topics;
    private final Path dir;
    private final int partitions;
    private final int concurrency;
    private final WorkerProcess[] slots;
    private final int[] starts;
    private final List<WorkerProcess> all = new ArrayList<>();
    private boolean verbose;

    /** {@code workers} workers of {@code concurrency} slots each over the {@code partitions} partitions of {@code topics.jobs()}. */
    WorkerFleet(KafkaCluster kafka, TestTopics topics, Path dir, int workers, int partitions, int concurrency) {
        this.kafka = kafka;
        this.topics = topics;
        this.dir = dir;
        this.partitions = partitions;
        this.concurrency = concurrency;
        this.slots = new WorkerProcess[workers];
        this.starts = new int[workers];
    }

    /** Workers started from now on log INFO (DEBUG for Troupe): a failure's output then tells what each did. */
    WorkerFleet verbose() {
        verbose = true;
        return this;
    }

    int size() {
        return slots.length;
    }

    /** Starts every worker (returns at once; each joins the group when its JVM is up). */
    void startAll() throws IOException {
        for (int slot = 0; slot < slots.length; slot++) {
            restart(slot);
        }
    }

    /**
     * Starts every worker and waits until each owns a partition, so that all of them take part in the
     * batch sent next (jobs sent to a fleet still joining would go to its first member).
     */
    void startAllAndSettle(String test) throws IOException {
        startAll();
        long began = System.nanoTime();
        String what = slots.length + " workers own the " + partitions + " partitions";
        await(what).atMost(Duration.ofSeconds(120)).until(this::settled);
        System.out.printf(Locale.ROOT, "%s %s %.1f s after they were started%n", test, what, (System.nanoTime() - began) / 1e9);
    }

    WorkerProcess worker(int slot) {
        return slots[slot];
    }

    List<WorkerProcess> workers() {
        return List.of(slots);
    }

    /** Starts the slot's next worker (returns at once; it joins the group when its JVM is up). */
    void restart(int slot) throws IOException {
        starts[slot]++;
        String name = "worker-" + (slot + 1) + (starts[slot] == 1 ? "" : "-restart-" + (starts[slot] - 1));
        // An ops port so that the test can read its gauges (any free port, on loopback).
        List<String> options = new ArrayList<>(List.of("--concurrency", Integer.toString(concurrency), "--ops-port", "0"));
        if (verbose) {
            options.add("--verbose");
        }
        slots[slot] = WorkerProcess.start(name, topics.config(), dir, options.toArray(String[]::new));
        all.add(slots[slot]);
    }

    /** SIGKILLs the slot's worker; it is gone on return. What it held at Givon just before, by its gauge. */
    Killed kill(int slot) throws InterruptedException {
        WorkerProcess victim = slots[slot];
        int inFlight = victim.jobsInFlight().orElse(0);
        victim.kill();
        return new Killed(victim.name(), inFlight);
    }

    /** A worker SIGKILLed, with the jobs it held at Givon (0 where its endpoint did not answer). */
    record Killed(String name, int jobsInFlight) {

        /** {@code kill} described for a report: "kill 2 (worker-1, 3 jobs in flight)". */
        String moment(String kill) {
            return kill + " (" + name + ", " + jobsInFlight + " jobs in flight)";
        }
    }

    /**
     * Waits for a worker holding jobs at Givon, looking from slot {@code first} on, and returns its slot:
     * one just restarted may not own a partition yet (on a busy machine its join and journal reads can
     * take longer than the batch leaves it).
     */
    int awaitHoldingJobs(String what, int first) {
        return await(what).atMost(Duration.ofSeconds(60)).until(() -> {
            for (int i = 0; i < slots.length; i++) {
                int candidate = (first + i) % slots.length;
                if (slots[candidate].jobsInFlight().orElse(0) > 0) {
                    return candidate;
                }
            }
            return -1;
        }, candidate -> candidate >= 0);
    }

    /** Parked jobs over the fleet; empty while a worker's endpoint does not answer. */
    OptionalInt parkedJobs() {
        return sum(WorkerProcess::parkedJobs);
    }

    /** The workers' shares of {@code givon.max-in-flight}, summed; empty while a worker's endpoint does not answer. */
    OptionalInt concurrencyShares() {
        return sum(WorkerProcess::concurrencyShare);
    }

    private OptionalInt sum(Function<WorkerProcess, OptionalInt> gauge) {
        int sum = 0;
        for (WorkerProcess worker : slots) {
            OptionalInt its = gauge.apply(worker);
            if (its.isEmpty()) {
                return OptionalInt.empty();
            }
            sum += its.getAsInt();
        }
        return OptionalInt.of(sum);
    }

    /** The group is stable with a member per slot, each owning a partition, and every partition owned. */
    boolean settled() {
        try {
            ConsumerGroupDescription group = kafka.admin().describeConsumerGroups(List.of(topics.groupId())).describedGroups()
                    .get(topics.groupId()).get(5, TimeUnit.SECONDS);
            Set<TopicPartition> owned = new HashSet<>();
            for (MemberDescription member : group.members()) {
                if (member.assignment().topicPartitions().isEmpty()) {
                    return false;
                }
                owned.addAll(member.assignment().topicPartitions());
            }
            return group.groupState() == GroupState.STABLE && group.members().size() == slots.length && owned.size() == partitions;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM to every worker, each drains; their exit codes. */
    List<Integer> terminateAll() throws InterruptedException {
        List<Integer> exits = new ArrayList<>();
        for (WorkerProcess worker : slots) {
            exits.add(worker.terminate());
        }
        return exits;
    }

    String outputs() {
        StringBuilder text = new StringBuilder();
        all.forEach(worker -> text.append(worker).append('\n'));
        return text.toString();
    }

    @Override
    public void close() {
        all.forEach(WorkerProcess::close);
    }
}
