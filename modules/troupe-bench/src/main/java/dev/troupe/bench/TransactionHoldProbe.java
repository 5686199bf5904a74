package dev.troupe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/**
 * How long a killed producer's transaction holds read_committed readers back (issue 10 item 5): a
 * child JVM ({@link TransactionHoldChild}) opens a transaction with the worker's
 * {@code transaction.timeout.ms}, sends and flushes a few records, and is killed with SIGKILL; the hold
 * is the time from the kill until the partition's last stable offset (what a read_committed reader may
 * read up to) reaches the log end the partition had at the kill, polled every {@link #POLL}. The same
 * with the transaction committed just before the kill shows the hold comes from the open transaction.
 * The coordinator aborts a transaction once it is older than its timeout, on a check that runs every
 * {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}.
 */
final class TransactionHoldProbe {

    /** @param kills kills of each kind; @param records records the child sends in its transaction */
    record Plan(int kills, Duration transactionTimeout, int records) {}

    /**
     * One kill.
     *
     * @param open                 whether the killed producer's transaction was open (else committed just before)
     * @param transactionAgeMillis from the child's first send (the transaction's start, near enough) to the kill
     * @param stableAtKill         the last stable offset right after the kill
     * @param logEndAtKill         the log end right after the kill (the child had flushed everything)
     * @param holdMillis           from the kill to the last stable offset reaching {@code logEndAtKill}
     * @param stableAfter          the last stable offset once it had (the abort or commit marker after the records)
     * @param childStartMillis     from starting the child JVM to its READY line
     */
    record Kill(int order, boolean open, int records, double transactionAgeMillis, long stableAtKill, long logEndAtKill,
                double holdMillis, long stableAfter, double childStartMillis) {}

    /** @param brokerConfigs the broker's transaction settings as it reports them (name to value) */
    record Result(Plan plan, Map<String, String> brokerConfigs, List<Kill> kills) {

        List<Kill> of(boolean open) {
            return kills.stream().filter(k -> k.open() == open).toList();
        }

        Spread hold(boolean open) {
            return Spread.of(of(open).stream().mapToDouble(Kill::holdMillis).toArray());
        }
    }

    static final Duration POLL = Duration.ofMillis(50);
    static final String CLEANUP_INTERVAL = "transaction.abort.timed.out.transaction.cleanup.interval.ms";
    private static final List<String> BROKER_CONFIGS = List.of(CLEANUP_INTERVAL, "transaction.max.timeout.ms",
            "transaction.remove.expired.transaction.cleanup.interval.ms", "transactional.id.expiration.ms");

    private final BenchKafka kafka;
    private final Progress progress;

    TransactionHoldProbe(BenchKafka kafka, Progress progress) {
        this.kafka = kafka;
        this.progress = progress;
    }

    Result measure(Plan plan) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<String, String> configs = brokerConfigs(admin);
            progress.say("transaction hold: broker %s = %s; producer transaction.timeout.ms = %d; %d kills inside a "
                    + "transaction and %d after a commit", CLEANUP_INTERVAL, configs.get(CLEANUP_INTERVAL),
                    plan.transactionTimeout().toMillis(), plan.kills(), plan.kills());
            List<Kill> kills = new ArrayList<>();
            int order = 0;
            // Alternating: open, committed, open, ...; each waits until its partition is readable again.
            for (int i = 1; i <= plan.kills(); i++) {
                for (boolean open : new boolean[] {true, false}) {
                    Kill kill = once(admin, plan, ++order, open);
                    progress.say("transaction hold: kill %d (%s): last stable offset %d of log end %d at the kill; reached "
                                    + "it %.0f ms after the kill (transaction %.0f ms old at the kill)", order,
                            open ? "inside a transaction" : "after a commit", kill.stableAtKill(), kill.logEndAtKill(),
                            kill.holdMillis(), kill.transactionAgeMillis());
                    kills.add(kill);
                }
            }
            Result result = new Result(plan, configs, List.copyOf(kills));
            progress.say("transaction hold: median %.0f ms after a kill inside a transaction, %.0f ms after a commit",
                    result.hold(true).median(), result.hold(false).median());
            return result;
        }
    }

    private Kill once(Admin admin, Plan plan, int order, boolean open) throws Exception {
        String topic = "txhold-" + (open ? "open" : "committed") + "-" + order + "-" + System.nanoTime();
        admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
        TopicPartition partition = new TopicPartition(topic, 0);
        Waits.until("a leader for " + topic, Duration.ofSeconds(30), () -> {
            try {
                offset(admin, partition, IsolationLevel.READ_UNCOMMITTED);
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), TransactionHoldChild.class.getName(), kafka.bootstrapServers(), topic,
                "bench-txhold-" + order + "-" + System.nanoTime(), Long.toString(plan.transactionTimeout().toMillis()),
                Integer.toString(plan.records()), open ? "open" : "committed");
        long started = System.nanoTime();
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Long> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.startsWith("READY ")) {
                            return Long.parseLong(line.substring("READY ".length()).trim());
                        }
                    }
                    throw new IllegalStateException("the transactional child JVM ended before it was ready");
                } catch (IOException e) {
                    throw new IllegalStateException("reading the child JVM's output failed", e);
                }
            });
            long firstSend = ready.get(60, TimeUnit.SECONDS);
            double childStart = (System.nanoTime() - started) / 1e6;
            long killedWall = System.currentTimeMillis();
            long killed = System.nanoTime();
            child.destroyForcibly();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the child JVM did not die within 10 s of SIGKILL");
            }
            long logEnd = offset(admin, partition, IsolationLevel.READ_UNCOMMITTED);
            long stableAtKill = offset(admin, partition, IsolationLevel.READ_COMMITTED);
            long deadline = killed + plan.transactionTimeout().multipliedBy(3).plusSeconds(60).toNanos();
            long stable = stableAtKill;
            long reached;
            while (true) {
                if (stable >= logEnd) {
                    reached = System.nanoTime();
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the last stable offset of " + partition + " stayed at " + stable
                            + " below the log end " + logEnd + " for " + (System.nanoTime() - killed) / 1_000_000_000 + " s");
                }
                TimeUnit.NANOSECONDS.sleep(POLL.toNanos());
                stable = offset(admin, partition, IsolationLevel.READ_COMMITTED);
            }
            return new Kill(order, open, plan.records(), killedWall - firstSend, stableAtKill, logEnd, (reached - killed) / 1e6,
                    stable, childStart);
        } finally {
            child.destroyForcibly();
            try {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("could not delete " + topic + ": " + e);
            }
        }
    }

    private static long offset(Admin admin, TopicPartition partition, IsolationLevel isolation) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(isolation)).partitionResult(partition)
                .get(10, TimeUnit.SECONDS).offset();
    }

    private static Map<String, String> brokerConfigs(Admin admin) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            String node = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).iterator().next().idString();
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node);
            Config config = admin.describeConfigs(List.of(broker)).all().get(10, TimeUnit.SECONDS).get(broker);
            for (String name : BROKER_CONFIGS) {
                ConfigEntry entry = config.get(name);
                values.put(name, entry == null ? "not reported" : entry.value() + (entry.isDefault() ? " (default)" : ""));
            }
        } catch (Exception e) {
            BROKER_CONFIGS.forEach(name -> values.put(name, "not read: " + e));
        }
        return values;
    }

    /** What a reader needs next to the figures. */
    static List<String> notes(Result result) {
        Plan plan = result.plan();
        return List.of(String.format(java.util.Locale.ROOT, "Transaction hold: each kill forks a child JVM (this classpath) "
                + "whose transactional producer (transaction.timeout.ms = %d, the worker's results.transaction-timeout default) "
                + "sends %d records to a fresh one-partition topic in a transaction and flushes them, then either leaves the "
                + "transaction open or commits it, prints that it is ready, and is killed with SIGKILL "
                + "(Process.destroyForcibly). The hold is from the kill until the partition's last stable offset (Admin "
                + "listOffsets, READ_COMMITTED, polled every %d ms) reaches the log end it had at the kill (READ_UNCOMMITTED): "
                + "until then a read_committed reader of that partition gets nothing past the open transaction's first record. "
                + "Kills alternate (open, committed, open, ...). The coordinator aborts a transaction older than its timeout "
                + "only on its periodic check, every %s = %s, so a kill inside a young transaction is expected to hold "
                + "readers for about the timeout less the transaction's age, plus up to one check interval. A worker's "
                + "transaction is open only from its first send to its commit (ResultTransactions.transact, every %d ms), so a "
                + "killed worker holds its partitions this long only when the kill falls inside one.",
                plan.transactionTimeout().toMillis(), plan.records(), POLL.toMillis(), CLEANUP_INTERVAL,
                result.brokerConfigs().get(CLEANUP_INTERVAL),
                dev.troupe.worker.WorkerConfig.Results.DEFAULT.commitInterval().toMillis()));
    }
}
