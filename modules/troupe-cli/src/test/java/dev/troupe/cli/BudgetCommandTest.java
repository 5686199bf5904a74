package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.model.BudgetCodec;
import dev.troupe.model.BudgetEntry;
import dev.troupe.model.Tokens;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import dev.troupe.worker.budget.FleetBudgetLog;
import dev.troupe.worker.budget.FleetLedger;
import dev.troupe.worker.limit.AccountHolds;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code troupe budget} against a real {@code troupe.budget} (made by {@code troupe topics create}, LogAppendTime),
 * written by {@link FleetBudgetLog} exactly as workers write it. Windows of 10,000 days: none rolls during a test.
 */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BudgetCommandTest {

    private static final Duration WINDOW = Duration.ofDays(10_000);
    private static final BudgetRule STUDIO_A = new BudgetRule(Tokens.of(100), WINDOW, ExhaustionPolicy.WAIT);
    private static final BudgetRule DEFAULT = new BudgetRule(Tokens.of(50), WINDOW, ExhaustionPolicy.REJECT);
    private static final String BUDGETS = """
            budget:
              default: {limit: 50, window: 10000d, on-exhausted: reject}
              tenants:
                studio-a: {limit: 100, window: 10000d, on-exhausted: wait}
                studio-b: {limit: unlimited}
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private KafkaCluster kafka;
    private TestTopics topics;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void topics(KafkaCluster kafka) throws IOException {
        this.kafka = kafka;
        this.topics = TestTopics.create(kafka, dir);
        Files.writeString(topics.config(), Files.readString(topics.config()) + BUDGETS);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    @Test
    void theTableShowsWhatTheWorkersDecidedPerTenantAndWindow() throws Exception {
        topics.created();
        FleetBudgetLog worker = worker();
        long window = writeTheDay(worker);
        kafka.produce(topics.budget(), "studio-a", "not json at all");
        kafka.produce(topics.budget(), "studio-a", "{\"schema\":\"troupe.budget/v1\",\"kind\":\"TRANSFER\",\"budget\":\"studio-a\",\"jobId\":\"x\"}");

        CliRun.Result budget = CliRun.run("budget", "--config", topics.config().toString());

        assertThat(budget.exitCode()).as(budget.toString()).isZero();
        String start = STUDIO_A.windowStart(window).toString();
        String end = STUDIO_A.windowEnd(window).toString();
        String previousStart = STUDIO_A.windowStart(window - 1).toString();
        assertThat(rows(budget.out()))
                .contains("budget window start end policy limit spent reserved open remaining overspend parked")
                .contains("* (default) current " + start + " " + end + " reject 50 55 0 0 0 15 - (1 refused)")
                .contains("* (default) previous " + previousStart + " " + start + " reject 50 0 0 0 50 - -")
                .contains("studio-a current " + start + " " + end + " wait 100 70 20 1 10 10 1")
                .contains("studio-a previous " + previousStart + " " + start + " wait 100 0 0 0 100 - 0")
                .contains("Unlimited, not in " + topics.budget() + ": studio-b");
        assertThat(budget.out()).contains("Budgets on " + topics.budget() + " at ").contains(": 10 records");
        assertThat(budget.err()).contains("2 unreadable records skipped");
        // The workers' own reader agrees: one rule, applied twice.
        assertThat(worker.window("studio-a")).isEqualTo(new FleetLedger.WindowState(window, Tokens.of(20), Tokens.of(70), 1,
                Tokens.of(10), Tokens.of(10)));
    }

    @Test
    void jsonHasTheSameFiguresAsNumbersAndTimesAsIso() throws Exception {
        topics.created();
        long window = writeTheDay(worker());

        CliRun.Result budget = CliRun.run("budget", "--format", "json", "--config", topics.config().toString());

        assertThat(budget.exitCode()).as(budget.toString()).isZero();
        assertThat(budget.out().strip().lines()).hasSize(1);
        JsonNode report = JSON.readTree(budget.out());
        assertThat(report.get("schema").asText()).isEqualTo("troupe.budget-report/v1");
        assertThat(report.get("appliedRecords").asLong()).isEqualTo(10);
        assertThat(report.get("unreadableRecords").asLong()).isZero();
        assertThat(report.get("windows")).hasSize(4);
        JsonNode studioA = window(report, "studio-a", "current");
        assertThat(studioA.get("limit").isNumber()).isTrue();
        assertThat(numbers(studioA, "limit", "spent", "reserved", "openReservations", "remaining", "overspend", "parkedJobs", "refusedJobs"))
                .containsExactly(100L, 70L, 20L, 1L, 10L, 10L, 1L, 1L);
        assertThat(studioA.get("start").asText()).isEqualTo(STUDIO_A.windowStart(window).toString());
        assertThat(Instant.parse(studioA.get("end").asText())).isEqualTo(STUDIO_A.windowEnd(window));
        assertThat(studioA.get("policy").asText()).isEqualTo("wait");
        assertThat(studioA.get("index").asLong()).isEqualTo(window);
        assertThat(studioA.get("complete").asBoolean()).isTrue();
        JsonNode shared = window(report, "*", "current");
        assertThat(numbers(shared, "limit", "spent", "reserved", "openReservations", "remaining", "overspend", "parkedJobs", "refusedJobs"))
                .containsExactly(50L, 55L, 0L, 0L, 0L, 15L, 0L, 1L);
        assertThat(shared.get("policy").asText()).isEqualTo("reject");
        assertThat(numbers(window(report, "studio-a", "previous"), "spent", "reserved", "remaining")).containsExactly(0L, 0L, 100L);
        assertThat(report.get("unlimited")).extracting(JsonNode::asText).containsExactly("studio-b");
    }

    @Test
    void tenantShowsOneBudgetAndATenantWithoutOneIsShownTheDefaultItIsChargedTo() throws Exception {
        topics.created();
        writeTheDay(worker());

        CliRun.Result studioA = CliRun.run("budget", "--tenant", "studio-a", "--config", topics.config().toString());
        CliRun.Result unknown = CliRun.run("budget", "--tenant", "newcomer", "--config", topics.config().toString());
        CliRun.Result unlimited = CliRun.run("budget", "--tenant", "studio-b", "--config", topics.config().toString());

        assertThat(studioA.exitCode()).as(studioA.toString()).isZero();
        assertThat(rows(studioA.out())).anyMatch(row -> row.startsWith("studio-a current ")).noneMatch(row -> row.startsWith("* "))
                .noneMatch(row -> row.contains("Unlimited"));
        assertThat(studioA.out()).contains(": 7 records");
        assertThat(studioA.err()).doesNotContain("skipped");
        assertThat(unknown.exitCode()).as(unknown.toString()).isZero();
        assertThat(unknown.err()).contains("tenant newcomer has no budget of its own in this configuration: its jobs are charged "
                + "to the default budget (*)");
        assertThat(rows(unknown.out())).anyMatch(row -> row.startsWith("* (default) current ")).noneMatch(row -> row.startsWith("studio-a"));
        // No rows for an unlimited budget (the topic is still read, for the Givon account's holds), and no noise about the others'.
        assertThat(unlimited.exitCode()).as(unlimited.toString()).isZero();
        assertThat(unlimited.out()).contains("Unlimited, not in " + topics.budget() + ": studio-b").doesNotContain("current");
        assertThat(unlimited.err()).doesNotContain("skipped");
    }

    @Test
    void theGivonAccountsHoldEndingLatestIsShownBelowTheTableAndInJson() throws Exception {
        topics.created();
        writeTheDay(worker());
        hold("job-1", Duration.ofMillis(1), "ended long ago");
        Instant until = hold("job-7", Duration.ofMinutes(10), "account balance is 0\nsee billing");

        CliRun.Result table = CliRun.run("budget", "--config", topics.config().toString());
        CliRun.Result json = CliRun.run("budget", "--format", "json", "--config", topics.config().toString());

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).as("holds are no budget's records").contains(": 10 records");
        assertThat(secondsLeft(table.out(), until, "account balance is 0?see billing (job job-7)")).isBetween(1L, 600L);
        assertThat(table.err()).doesNotContain("skipped");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode report = JSON.readTree(json.out());
        assertThat(report.get("appliedRecords").asLong()).isEqualTo(10);
        JsonNode hold = report.get("accountHold");
        assertThat(hold.get("until").asText()).isEqualTo(until.toString());
        assertThat(hold.get("active").asBoolean()).isTrue();
        assertThat(hold.get("jobId").asText()).isEqualTo("job-7");
        assertThat(hold.get("reason").asText()).isEqualTo("account balance is 0\nsee billing");
    }

    @Test
    void theHoldIsShownWhenNoBudgetIsLimited() throws Exception {
        Files.writeString(topics.config(), Files.readString(topics.config()).replace(BUDGETS, ""));
        topics.created();
        Instant until = hold("job-9", Duration.ofMinutes(10), "out of credit");

        CliRun.Result table = CliRun.run("budget", "--config", topics.config().toString());
        CliRun.Result json = CliRun.run("budget", "--format", "json", "--config", topics.config().toString());

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(rows(table.out())).noneMatch(row -> row.startsWith("budget window"))
                .contains("Unlimited, not in " + topics.budget() + ": * (default)");
        assertThat(secondsLeft(table.out(), until, "out of credit (job job-9)")).isBetween(1L, 600L);
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode report = JSON.readTree(json.out());
        assertThat(report.get("windows")).isEmpty();
        assertThat(report.get("accountHold").get("until").asText()).isEqualTo(until.toString());
        assertThat(report.get("accountHold").get("active").asBoolean()).isTrue();
        assertThat(report.get("accountHold").get("jobId").asText()).isEqualTo("job-9");
    }

    @Test
    void badOptionValuesAreRefusedNamingTheOptionAndTheRule() {
        String config = topics.config().toString();
        CliRun.Result tenant = CliRun.run("budget", "--tenant", "studio a!", "--config", config);
        CliRun.Result tooOften = CliRun.run("budget", "--watch", "--interval", "10ms", "--config", config);
        CliRun.Result tooRarely = CliRun.run("budget", "--watch", "--interval", "2h", "--config", config);
        CliRun.Result notADuration = CliRun.run("budget", "--watch", "--interval", "soon", "--config", config);
        CliRun.Result withoutWatch = CliRun.run("budget", "--interval", "5s", "--config", config);
        CliRun.Result format = CliRun.run("budget", "--format", "xml", "--config", config);
        CliRun.Result workerScope = CliRun.run(Map.of("TROUPE_BUDGET_SCOPE", "worker"), "budget", "--config", config);

        assertThat(List.of(tenant, tooOften, tooRarely, notADuration, withoutWatch, format)).allSatisfy(run ->
                assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE));
        assertThat(tenant.err()).contains("--tenant must be \"*\" or 1 to 64 characters of A-Z a-z 0-9 . _ : -, got 'studio a!'");
        assertThat(tooOften.err()).contains("--interval must be 100ms to 1h, got 10ms");
        assertThat(tooRarely.err()).contains("--interval must be 100ms to 1h, got 2h");
        assertThat(notADuration.err()).contains("--interval").contains("'soon' is not a duration");
        assertThat(withoutWatch.err()).contains("--interval is how often --watch redraws");
        assertThat(format.err()).contains("--format").contains("xml");
        assertThat(workerScope.exitCode()).as(workerScope.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(workerScope.err()).contains("budget.scope is worker");
    }

    @Test
    void windowsThatLostRecordsToRetentionAreMarkedAsALowerBound() throws Exception {
        topics.created();
        writeTheDay(worker());
        // What retention does to the oldest records: the log of every partition now starts after its first one.
        List<TopicPartition> partitions = IntStream.range(0, 3).mapToObj(p -> new TopicPartition(topics.budget(), p)).toList();
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = kafka.admin()
                .listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, RecordsToDelete> firstRecords = new HashMap<>();
        ends.forEach((tp, end) -> {
            if (end.offset() > 0) {
                firstRecords.put(tp, RecordsToDelete.beforeOffset(1));
            }
        });
        kafka.admin().deleteRecords(firstRecords).all().get(30, TimeUnit.SECONDS);

        CliRun.Result table = CliRun.run("budget", "--config", topics.config().toString());
        CliRun.Result json = CliRun.run("budget", "--format", "json", "--config", topics.config().toString());

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(rows(table.out())).anyMatch(row -> row.startsWith("studio-a current (partial) "))
                .contains("(partial): some of the window's records have expired from " + topics.budget() + " (retention): its figures are a lower bound");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(window(JSON.readTree(json.out()), "studio-a", "current").get("complete").asBoolean()).isFalse();
    }

    @Test
    void aMissingBudgetTopicSaysToCreateIt() {
        CliRun.Result budget = CliRun.run("budget", "--config", topics.config().toString());

        assertThat(budget.exitCode()).as(budget.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(budget.err()).contains("topic " + topics.budget() + " does not exist").contains("troupe topics create");
    }

    @Test
    void watchRedrawsWhenANewRecordArrivesWithoutReadingTheLogAgain() throws Exception {
        topics.created();
        FleetBudgetLog worker = worker();
        long window = ((FleetLedger.Granted) worker.reserve("studio-a", "w-1", Tokens.of(7)).get(30, TimeUnit.SECONDS)).window();
        Watch watch = Watch.start(false, "budget", "--watch", "--interval", "100ms", "--format", "json", "--tenant", "studio-a",
                "--config", topics.config().toString());
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> lastReport(watch.out) != null);
            assertThat(numbers(window(lastReport(watch.out), "studio-a", "current"), "reserved", "openReservations"))
                    .containsExactly(7L, 1L);

            worker.settle("studio-a", "w-1", window, Tokens.of(6)).get(30, TimeUnit.SECONDS);
            worker.reserve("studio-a", "w-2", Tokens.of(14)).get(30, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(numbers(window(lastReport(watch.out), "studio-a",
                    "current"), "spent", "reserved", "openReservations", "remaining")).containsExactly(6L, 14L, 1L, 80L));
            assertThat(lastReport(watch.out).get("appliedRecords").asLong()).as("each record applied once").isEqualTo(3);
        } finally {
            watch.stop();
        }
        // Redrawn only when a figure changed: far fewer documents than 100ms intervals.
        assertThat(watch.out.toString().lines().filter(line -> !line.isBlank()).count()).isBetween(2L, 3L);
    }

    @Test
    void onATerminalTheTableIsRedrawnInPlaceEveryInterval() throws Exception {
        topics.created();
        granted(worker(), "studio-a", "t-1", 7);
        Watch watch = Watch.start(true, "budget", "--watch", "--interval", "100ms", "--config", topics.config().toString());
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> watch.out.toString().split("\u001b\\[H\u001b\\[2J", -1).length > 3);
        } finally {
            watch.stop();
        }
        String last = watch.out.toString().substring(watch.out.toString().lastIndexOf("\u001b[2J"));
        assertThat(rows(last)).anyMatch(row -> row.startsWith("studio-a current ") && row.contains(" wait 100 0 7 1 93 - 0"));
    }

    /** {@code troupe budget --watch} on a thread of its own, stopped by an interrupt as Ctrl-C would stop it. */
    private record Watch(Thread thread, StringWriter out, StringWriter err, AtomicInteger exit) {

        static Watch start(boolean terminal, String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            AtomicInteger exit = new AtomicInteger(-1);
            Thread thread = new Thread(() -> exit.set(TroupeCli.execute(new CliContext(Map.of(), terminal), new PrintWriter(out, true),
                    new PrintWriter(err, true), args)), "budget-watch");
            thread.start();
            return new Watch(thread, out, err, exit);
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive()).as("still watching after an interrupt").isFalse();
            assertThat(exit.get()).as(err.toString()).isZero();
        }
    }

    /**
     * One window of two budgets, as workers write it: studio-a (100, wait) grants 60 and 30, refuses two jobs,
     * is charged 70 for the 60 (10 over), gives the 30 back, then grants one of the refused jobs; the default
     * budget (50, reject) is charged 55 for 40 and refuses a job.
     */
    private long writeTheDay(FleetBudgetLog worker) throws Exception {
        long window = granted(worker, "studio-a", "a-1", 60).window();
        granted(worker, "studio-a", "a-2", 30);
        assertThat(decide(worker, "studio-a", "a-3", 20)).isInstanceOf(FleetLedger.Exhausted.class);
        assertThat(decide(worker, "studio-a", "a-4", 20)).isInstanceOf(FleetLedger.Exhausted.class);
        worker.settle("studio-a", "a-1", window, Tokens.of(70)).get(30, TimeUnit.SECONDS);
        worker.release("studio-a", "a-2", window).get(30, TimeUnit.SECONDS);
        granted(worker, "studio-a", "a-3", 20);
        granted(worker, "*", "d-1", 40);
        worker.settle("*", "d-1", window, Tokens.of(55)).get(30, TimeUnit.SECONDS);
        assertThat(decide(worker, "*", "d-2", 5)).isInstanceOf(FleetLedger.Exhausted.class);
        return window;
    }

    private static FleetLedger.Granted granted(FleetBudgetLog worker, String budget, String jobId, long tokens) throws Exception {
        FleetLedger.Decision decision = decide(worker, budget, jobId, tokens);
        assertThat(decision).isInstanceOf(FleetLedger.Granted.class);
        return (FleetLedger.Granted) decision;
    }

    private static FleetLedger.Decision decide(FleetBudgetLog worker, String budget, String jobId, long tokens)
            throws InterruptedException, ExecutionException, TimeoutException {
        return worker.reserve(budget, jobId, Tokens.of(tokens)).get(30, TimeUnit.SECONDS);
    }

    /** A worker's budget log on the test's topic, for the two limited budgets of {@link #BUDGETS}. */
    private FleetBudgetLog worker() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        FleetBudgetLog log = new FleetBudgetLog(new KafkaProducer<>(p), new KafkaConsumer<>(c), topics.budget(),
                Map.of("studio-a", STUDIO_A, "*", DEFAULT), "test-worker", Clock.systemUTC(), budget -> { });
        opened.add(0, log);
        log.start().get(60, TimeUnit.SECONDS);
        return log;
    }

    /**
     * A HOLD as the worker Givon told writes it ({@code AccountHolds.announce}): to partition 0, keyed {@code *account}.
     *
     * @return until when the fleet holds: the broker's append time plus {@code hold}
     */
    private Instant hold(String jobId, Duration hold, String reason) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            RecordMetadata written = producer.send(new ProducerRecord<>(topics.budget(), AccountHolds.PARTITION,
                    BudgetEntry.ACCOUNT.getBytes(StandardCharsets.UTF_8),
                    new BudgetCodec().encode(new BudgetEntry.Hold(jobId, hold.toMillis(), reason)))).get(30, TimeUnit.SECONDS);
            return Instant.ofEpochMilli(written.timestamp()).plus(hold); // LogAppendTime: the broker's time
        }
    }

    /** The seconds left that the table's hold line says, after checking the rest of the line. */
    private static long secondsLeft(String table, Instant until, String reasonAndJob) {
        Pattern line = Pattern.compile("Givon account held until " + Pattern.quote(until.toString()) + " \\((\\d+) s left\\): "
                + Pattern.quote(reasonAndJob));
        return rows(table).stream().map(line::matcher).filter(Matcher::matches).findFirst()
                .map(m -> Long.parseLong(m.group(1))).orElseThrow(() -> new AssertionError("no hold line in\n" + table));
    }

    /** The table's lines, trimmed, with runs of spaces as one: what a reader sees, without the padding. */
    private static List<String> rows(String table) {
        return table.lines().map(line -> line.strip().replaceAll(" +", " ")).toList();
    }

    private static JsonNode window(JsonNode report, String budget, String which) {
        for (JsonNode window : report.get("windows")) {
            if (window.get("budget").asText().equals(budget) && window.get("window").asText().equals(which)) {
                return window;
            }
        }
        throw new AssertionError("no " + which + " window of " + budget + " in " + report);
    }

    private static List<Long> numbers(JsonNode window, String... fields) {
        List<Long> values = new ArrayList<>();
        for (String field : fields) {
            JsonNode value = window.get(field);
            assertThat(value).as(field).isNotNull();
            assertThat(value.isNumber()).as(field + " is a JSON number").isTrue();
            values.add(value.decimalValue().longValueExact());
        }
        return values;
    }

    /** The last complete JSON document --watch printed; null before the first. */
    private static JsonNode lastReport(StringWriter out) throws IOException {
        String text = out.toString();
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return null;
        }
        String[] lines = text.substring(0, end).split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }
}
