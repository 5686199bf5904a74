package dev.troupe.worker;

import dev.troupe.givon.GivonConfig;
import dev.troupe.givon.PollBackoff;
import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.SimClock;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.worker.runner.RetryPolicy;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One test's world: fresh topics on the shared broker, a Givon simulator on loopback, a producer,
 * and the workers under test. Everything is closed by {@link #close()}.
 */
final class WorkerTestBed implements AutoCloseable {

    static final int PARTITIONS = 6;

    final String bootstrapServers;
    final Vertx vertx;
    final String jobsTopic;
    final String resultsTopic;
    final String deadLetterTopic;
    /** The journal, co-partitioned with the jobs topic. */
    final String stateTopic;
    /** The fleet's budget log (LogAppendTime). */
    final String budgetTopic;
    /** The operators' commands (compacted). */
    final String controlTopic;
    final String progressTopic;
    final String groupId;
    final GivonSimulator simulator;
    private final Admin admin;
    private final KafkaCluster cluster;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<Worker> workers = new ArrayList<>();

    WorkerTestBed(KafkaCluster cluster, Vertx vertx, Consumer<SimulatorConfig.Builder> simulatorSetup) throws Exception {
        this(cluster, vertx, simulatorSetup, null);
    }

    /** With {@code clock} (e.g. {@code SimClock.manual()}) as the simulator's time; null for compressed real time. */
    WorkerTestBed(KafkaCluster cluster, Vertx vertx, Consumer<SimulatorConfig.Builder> simulatorSetup, SimClock clock)
            throws Exception {
        this.bootstrapServers = cluster.bootstrapServers();
        this.cluster = cluster;
        this.vertx = vertx;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        this.jobsTopic = "jobs-" + suffix;
        this.resultsTopic = "results-" + suffix;
        this.deadLetterTopic = "dlq-" + suffix;
        this.stateTopic = "state-" + suffix;
        this.budgetTopic = "budget-" + suffix;
        this.controlTopic = "control-" + suffix;
        this.progressTopic = "progress-" + suffix;
        this.groupId = "workers-" + suffix;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        // Waits for partition leaders: producing into a topic whose leaders are not known yet made the
        // idempotent test producer loop on OUT_OF_ORDER_SEQUENCE_NUMBER (client-side, Kafka 4.4).
        cluster.createTopic(jobsTopic, PARTITIONS);
        cluster.createTopic(resultsTopic, 3);
        cluster.createTopic(deadLetterTopic, 1);
        cluster.createTopic(stateTopic, PARTITIONS, Map.of("cleanup.policy", "compact"));
        cluster.createTopic(budgetTopic, 3, Map.of("message.timestamp.type", "LogAppendTime", "retention.ms", "-1"));
        cluster.createTopic(controlTopic, 1, Map.of("cleanup.policy", "compact"));
        cluster.createTopic(progressTopic, 1, Map.of());
        SimulatorConfig.Builder sim = SimulatorConfig.builder()
                .fixedGenerationTime(Duration.ofSeconds(20))
                .timeCompression(1000)
                .seed(42);
        simulatorSetup.accept(sim);
        this.simulator = (clock == null ? GivonSimulator.start(vertx, sim.build()) : GivonSimulator.start(vertx, sim.build(), clock))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Above the default 1 MiB so that a test can send records up to the broker's own limit (which it still enforces).
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(2 * 1024 * 1024));
        this.producer = new KafkaProducer<>(p);
    }

    /** A worker configured for fast tests: short polls and backoffs against the simulator. */
    WorkerConfig.Builder workerConfig() {
        return workerConfig(givon -> givon);
    }

    /** The same, with Givon's side of it changed (another key, another address, ...). */
    WorkerConfig.Builder workerConfig(UnaryOperator<GivonConfig.Builder> givonChange) {
        GivonConfig givon = givonChange.apply(GivonConfig.builder()
                .baseUrl(simulator.baseUrl())
                .apiKey(SimulatorConfig.DEFAULT_API_KEY)
                .pollBackoff(new PollBackoff(Duration.ofMillis(10), Duration.ofMillis(50), 2.0))
                .responseTimeout(Duration.ofSeconds(2))
                .defaultFollowDeadline(Duration.ofMinutes(2))
                .maxPoolSize(256))
                .build();
        return WorkerConfig.builder(bootstrapServers, givon)
                .groupId(groupId)
                .topics(new WorkerConfig.Topics(jobsTopic, resultsTopic, deadLetterTopic, stateTopic, budgetTopic, controlTopic,
                        progressTopic))
                .retry(new RetryPolicy(5, Duration.ofMillis(10), Duration.ofMillis(100)))
                .circuit(new WorkerConfig.Circuit(5, Duration.ofMillis(200)))
                .revocationGrace(Duration.ofSeconds(20))
                .shutdownGrace(Duration.ofSeconds(20));
    }

    Worker startWorker(WorkerConfig config) {
        Worker worker = Worker.start(vertx, config);
        workers.add(worker);
        return worker;
    }

    /** Stops a worker before the end of the test (a graceful close: it commits and leaves the group). */
    void stopWorker(Worker worker) {
        worker.close();
        workers.remove(worker);
    }

    /** Sends with the jobId as key (so a job's duplicates land on one partition); remembers where it went. */
    /** An operator's command, as {@code troupe cancel / pause / resume} writes it. */
    void control(dev.troupe.model.ControlCommand command) throws Exception {
        producer.send(new ProducerRecord<>(controlTopic, command.key().getBytes(StandardCharsets.UTF_8),
                new dev.troupe.model.ControlCodec().encode(command))).get(10, TimeUnit.SECONDS);
    }

    void produce(String jobId, byte[] value) {
        producer.send(new ProducerRecord<>(jobsTopic, jobId == null ? null : jobId.getBytes(StandardCharsets.UTF_8), value),
                (metadata, error) -> {
                    if (metadata != null && jobId != null) {
                        placed.put(jobId, new TopicPartitionOffset(new TopicPartition(jobsTopic, metadata.partition()), metadata.offset()));
                    }
                });
    }

    /** Sends any record (key, headers and partition as given); completes with where it landed. */
    java.util.concurrent.Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        return producer.send(record);
    }

    /** A bare member of the workers' group (cooperative-sticky like them): it takes partitions and runs nothing. */
    KafkaConsumer<byte[], byte[]> groupMember() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return new KafkaConsumer<>(p);
    }

    record TopicPartitionOffset(TopicPartition partition, long offset) {}

    /** Where each produced job landed (complete after {@link #flush()}). */
    final Map<String, TopicPartitionOffset> placed = new java.util.concurrent.ConcurrentHashMap<>();

    void flush() {
        producer.flush();
    }

    /** Another topic on the bed's broker, e.g. a results topic with limits of its own. */
    String createTopic(String prefix, int partitions, Map<String, String> configs) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        cluster.createTopic(name, partitions, configs);
        return name;
    }

    /** Changes one config of a topic (e.g. lowers its max.message.bytes under a running worker). */
    void alterTopic(String topic, String key, String value) throws Exception {
        admin.incrementalAlterConfigs(Map.of(new org.apache.kafka.common.config.ConfigResource(
                        org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic),
                List.of(new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry(key, value),
                        org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get(10, TimeUnit.SECONDS);
    }

    TopicReader results() {
        return new TopicReader(bootstrapServers, resultsTopic);
    }

    TopicReader progress() {
        return new TopicReader(bootstrapServers, progressTopic);
    }

    TopicReader deadLetters() {
        return new TopicReader(bootstrapServers, deadLetterTopic);
    }

    /** Per partition of the jobs topic: committed offset of the group, and the log end. */
    Map<TopicPartition, long[]> committedVersusEnd() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(jobsTopic, p), OffsetSpec.latest());
        }
        var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        // A partition nothing was committed on counts as committed at 0.
        return ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> new long[] {
                committed.containsKey(e.getKey()) ? committed.get(e.getKey()).offset() : 0, e.getValue().offset()}));
    }

    boolean committedAtLogEnd() throws Exception {
        return committedVersusEnd().values().stream().allMatch(pair -> pair[0] == pair[1]);
    }

    @Override
    public void close() throws Exception {
        for (Worker worker : workers) {
            worker.close();
        }
        producer.close();
        admin.close();
        simulator.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
