package dev.troupe.worker.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.model.Tokens;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One budget shared by several workers through a real {@code troupe.budget} (LogAppendTime): exact, and the same in every reader. */
@ExtendWith(KafkaClusterExtension.class)
class FleetBudgetLogTest {

    private static final Tokens JOB = Tokens.of(7);
    private static final BudgetRule HUNDRED_PER_WINDOW = new BudgetRule(Tokens.of(100), Duration.ofDays(10_000), ExhaustionPolicy.WAIT); // no window rolls during a test

    private KafkaCluster cluster;
    private String topic;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> freed = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void topic(KafkaCluster cluster) {
        this.cluster = cluster;
        this.topic = cluster.uniqueTopic("budget");
        cluster.createTopic(topic, 3, Map.of("message.timestamp.type", "LogAppendTime"));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private FleetBudgetLog worker(String name) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        FleetBudgetLog budget = new FleetBudgetLog(producer, new KafkaConsumer<>(c), topic, Map.of("studio-a", HUNDRED_PER_WINDOW), name,
                Clock.systemUTC(), freed::add);
        opened.add(0, producer);
        opened.add(0, budget);
        budget.start().get(60, TimeUnit.SECONDS);
        return budget;
    }

    @Test
    void threeWorkersAskingAtOnceAreGrantedTheLimitAndNotATokenMoreAndEveryReaderAgrees() throws Exception {
        List<FleetBudgetLog> workers = List.of(worker("w1"), worker("w2"), worker("w3"));
        List<CompletableFuture<FleetLedger.Decision>> asked = new ArrayList<>();
        for (int job = 0; job < 30; job++) {
            for (int w = 0; w < workers.size(); w++) {
                asked.add(workers.get(w).reserve("studio-a", "job-" + w + "-" + job, JOB));
            }
        }
        List<FleetLedger.Decision> decisions = new ArrayList<>();
        for (CompletableFuture<FleetLedger.Decision> decision : asked) {
            decisions.add(decision.get(30, TimeUnit.SECONDS));
        }

        // 100 / 7: fourteen jobs fit, fleet-wide; the other 76 are told when the window rolls.
        List<FleetLedger.Granted> granted = decisions.stream().filter(FleetLedger.Granted.class::isInstance)
                .map(FleetLedger.Granted.class::cast).toList();
        assertThat(granted).hasSize(14);
        assertThat(decisions.stream().filter(FleetLedger.Exhausted.class::isInstance)).hasSize(76)
                .allSatisfy(d -> assertThat(((FleetLedger.Exhausted) d).resumesAt()).isEqualTo(HUNDRED_PER_WINDOW.windowEnd(granted.get(0).window())));
        FleetBudgetLog late = worker("late");
        for (FleetBudgetLog reader : List.of(workers.get(0), workers.get(1), workers.get(2), late)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(reader.window("studio-a").reserved()).isEqualTo(Tokens.of(98)));
        }
    }

    @Test
    void aJobReservesOnceAndWhatOneWorkerGivesBackAnotherMayTake() throws Exception {
        FleetBudgetLog a = worker("a");
        FleetBudgetLog b = worker("b");
        FleetLedger.Granted first = (FleetLedger.Granted) a.reserve("studio-a", "job-1", Tokens.of(60)).get(30, TimeUnit.SECONDS);

        // The job's next owner asks again after a hand-over: it gets the reservation the job holds.
        assertThat(b.reserve("studio-a", "job-1", Tokens.of(60)).get(30, TimeUnit.SECONDS))
                .isEqualTo(new FleetLedger.Granted(first.window(), Tokens.of(60), true));
        assertThat(b.reserve("studio-a", "job-2", Tokens.of(60)).get(30, TimeUnit.SECONDS)).isInstanceOf(FleetLedger.Exhausted.class);

        b.release("studio-a", "job-1", first.window()).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> freed.stream().filter("studio-a"::equals).count() == 2); // a's reader and b's
        assertThat(a.reserve("studio-a", "job-2", Tokens.of(60)).get(30, TimeUnit.SECONDS)).isInstanceOf(FleetLedger.Granted.class);
        a.settle("studio-a", "job-2", first.window(), Tokens.of(58)).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(b.window("studio-a"))
                .extracting(FleetLedger.WindowState::spent, FleetLedger.WindowState::reserved, FleetLedger.WindowState::remaining)
                .containsExactly(Tokens.of(58), Tokens.ZERO, Tokens.of(42)));
    }
}
