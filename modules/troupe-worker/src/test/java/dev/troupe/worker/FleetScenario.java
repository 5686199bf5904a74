package dev.troupe.worker;

import static org.awaitility.Awaitility.await;

import dev.troupe.givon.PollBackoff;
import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.givon.sim.ManualSimClock;
import dev.troupe.model.JobStatus;
import dev.troupe.testkit.guarantee.CommittedToLogEnd;
import dev.troupe.testkit.guarantee.Guarantee;
import dev.troupe.testkit.guarantee.Guarantees;
import dev.troupe.testkit.guarantee.NoDoublePay;
import dev.troupe.testkit.guarantee.OneResultPerJob;
import dev.troupe.testkit.guarantee.ResumesWithin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One fleet scenario on a {@link WorkerTestBed}: in-JVM workers that join and leave while their jobs
 * are at Givon, and the guarantees fed as it goes (every job sent is expected, every moment that
 * matters is observed, every hand-over is timed with a probe per partition), judged at its end.
 *
 * <p>With a {@link ManualSimClock}, generations stay at Givon until {@link #finish()} moves the clock,
 * so "jobs in flight at the hand-over" holds however busy the machine is. Waits that only let the
 * scenario settle do not throw when they run out: the guarantees then say what is missing.
 */
final class FleetScenario implements AutoCloseable {

    /** A hand-over must not stall a partition for longer (DESIGN.md "The job journal"). */
    static final Duration RESUME_LIMIT = Duration.ofSeconds(10);
    /** More than any generation of these tests lasts: one step of the clock ends every generation started so far. */
    private static final Duration PAST_EVERY_GENERATION = Duration.ofHours(1);

    final WorkerTestBed bed;
    /** Null when the simulator runs in compressed real time. */
    final ManualSimClock clock;
    final OneResultPerJob results;
    final NoDoublePay noDoublePay;
    final CommittedToLogEnd committed;
    final ResumesWithin resumes = ResumesWithin.of(RESUME_LIMIT);
    private final Admin admin;
    private boolean handedOver;
    /** Members the group should settle on after the last hand-over; 0 before any. */
    private int settledMembers;
    private int probes;
    private final List<CompletableFuture<Void>> closing = new ArrayList<>();

    FleetScenario(WorkerTestBed bed, ManualSimClock clock) throws Exception {
        this.bed = bed;
        this.clock = clock;
        try {
            this.results = OneResultPerJob.reading(bed.bootstrapServers, bed.resultsTopic)
                    .allowOnly("SUCCEEDED", r -> r.status() == JobStatus.SUCCEEDED);
            this.noDoublePay = NoDoublePay.on(bed.simulator.ledger());
            this.committed = CommittedToLogEnd.of(bed.bootstrapServers, bed.groupId, bed.jobsTopic);
            this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers));
        } catch (RuntimeException e) {
            bed.close();
            throw e;
        }
    }

    /**
     * A worker with room for every job of a scenario at once, polling Givon at most once a second per
     * job: generations here last seconds, and a hundred jobs polled every 50 ms would load the machine.
     */
    WorkerConfig.Builder workerConfig() {
        return bed.workerConfig(givon -> givon.pollBackoff(new PollBackoff(Duration.ofMillis(50), Duration.ofSeconds(1), 2.0)))
                .maxConcurrency(256);
    }

    Worker startWorker() {
        return bed.startWorker(workerConfig().build());
    }

    /** A worker that runs its jobs on {@code eventLoops} event loops. */
    Worker startWorker(int eventLoops) {
        return bed.startWorker(workerConfig().eventLoops(eventLoops).build());
    }

    /** Sends {@code count} jobs named {@code prefix-i}, each expected to be answered once and paid once. */
    List<String> send(String prefix, int count) {
        return sendFor(null, prefix, count);
    }

    /** The same for {@code tenant}'s budget (null: the default one). */
    List<String> sendFor(String tenant, String prefix, int count) {
        List<String> jobIds = IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
        results.expect(jobIds);
        noDoublePay.expect(jobIds);
        jobIds.forEach(id -> bed.produce(id, Jobs.valid(id, tenant)));
        bed.flush();
        return jobIds;
    }

    /** Precondition: Givon holds at least {@code generations}; fails the test when it does not come. */
    void awaitAtGivon(long generations) {
        await("at least " + generations + " generations at Givon").atMost(Duration.ofSeconds(60))
                .until(() -> bed.simulator.ledger().snapshot().generationsCreated() >= generations);
    }

    /** Starts timing a hand-over: call it just before the step that moves partitions. */
    ResumesWithin.HandOver handOver(String what) {
        handedOver = true;
        return resumes.handOver(what);
    }

    /**
     * Waits until the group has settled on {@code members} members, then sends a probe job to every
     * partition and waits until Givon has each, all within what is left of the hand-over's limit; a
     * late one is for {@link ResumesWithin} to report at the end.
     */
    void probeEveryPartition(ResumesWithin.HandOver handOver, int members) throws Exception {
        // Probes sent before the group has moved the partitions would be taken by the old owner, which
        // may not even know of the rebalance yet: they would prove nothing about the new one.
        settledMembers = members;
        within(handOver.remaining(), () -> groupSettled(members));
        for (int partition = 0; partition < WorkerTestBed.PARTITIONS; partition++) {
            String jobId = "probe-" + (++probes) + "-p" + partition;
            results.expect(jobId);
            noDoublePay.expect(jobId);
            handOver.probe(bed.jobsTopic + "-" + partition, jobId);
            bed.send(new ProducerRecord<>(bed.jobsTopic, partition, jobId.getBytes(StandardCharsets.UTF_8), Jobs.valid(jobId, null)))
                    .get();
        }
        within(handOver.remaining(), () -> handOver.resumed(submitted()));
    }

    /** Whether Givon has a generation for a jobId, as the ledger says now. */
    private Predicate<String> submitted() {
        LedgerSnapshot now = bed.simulator.ledger().snapshot();
        return jobId -> now.generationsFor(jobId) > 0;
    }

    /**
     * The group has settled on {@code members} members after a rebalance: it is stable, each member owns
     * a partition, and every partition of the jobs topic is owned. False while the broker cannot say.
     */
    boolean groupSettled(int members) {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(bed.groupId)).describedGroups().get(bed.groupId)
                    .get(5, TimeUnit.SECONDS);
            Set<TopicPartition> owned = new HashSet<>();
            for (MemberDescription member : group.members()) {
                Set<TopicPartition> own = member.assignment().topicPartitions();
                if (own.isEmpty()) {
                    return false;
                }
                owned.addAll(own);
            }
            return group.groupState() == GroupState.STABLE && group.members().size() == members
                    && owned.size() == WorkerTestBed.PARTITIONS;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A graceful close from another thread (it may take as long as the worker's grace); the close is timed by the caller's hand-over. */
    void closeInBackground(Worker worker) {
        closing.add(CompletableFuture.runAsync(worker::close));
    }

    /** Remembers the ledger and the commits now, for the report. */
    void observe(String moment) {
        noDoublePay.observe(moment);
        committed.observe(moment);
    }

    /** Lets every generation end (moving the manual clock, if any) until each job is answered, then waits for the commits. */
    void finish() {
        // The hand-overs end first (closes done, the group settled) and only then do generations end: a
        // generation that ended while its worker still held on to it would hide what the next owner does.
        within(Duration.ofSeconds(90), () -> {
            resumes.lookAgain(submitted());
            return closing.stream().allMatch(CompletableFuture::isDone) && (settledMembers == 0 || groupSettled(settledMembers));
        });
        within(Duration.ofSeconds(90), () -> {
            resumes.lookAgain(submitted());
            if (clock != null) {
                // Also ends whatever a worker submits again meanwhile, so that every result shows up to be judged.
                clock.advance(PAST_EVERY_GENERATION);
            }
            return results.allAnswered();
        });
        within(Duration.ofSeconds(30), committed::holds);
    }

    /** Every guarantee the scenario fed; fails with all that broke. */
    void assertGuarantees(Guarantee... more) {
        List<Guarantee> all = new ArrayList<>(List.of(noDoublePay, results, committed));
        if (handedOver) {
            all.add(0, resumes);
        }
        all.addAll(List.of(more));
        Guarantees.assertAll(all.toArray(Guarantee[]::new));
    }

    /** Jobs a worker finished (its {@code troupe.jobs} counter). */
    static double finished(Worker worker) {
        return worker.registry().find("troupe.jobs").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** True when {@code condition} came true within {@code limit}. */
    static boolean within(Duration limit, Callable<Boolean> condition) {
        try {
            // No first delay: a hand-over's remaining limit may be shorter than Awaitility's default one.
            await().pollDelay(Duration.ZERO).atMost(limit).until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (clock != null) {
                // Workers close at once when Givon holds nothing of theirs, instead of waiting out their grace.
                clock.advance(PAST_EVERY_GENERATION);
            }
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        } finally {
            try {
                results.close();
                committed.close();
                admin.close(Duration.ofSeconds(5));
            } finally {
                bed.close();
            }
        }
    }
}
