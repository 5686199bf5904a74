package dev.troupe.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.givon.ApiKey;
import dev.troupe.givon.GivonConfig;
import dev.troupe.givon.PollStart;
import dev.troupe.model.Tokens;
import dev.troupe.worker.WorkerConfig;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void theShippedFileSaysExactlyWhatTheCodeDoesWithoutIt() {
        Path shipped = shippedConfig();

        ConfigLoader.Loaded loaded = ConfigLoader.load(Optional.of(shipped), Map.of());

        assertThat(loaded.config()).isEqualTo(TroupeConfig.defaults());
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void theDefaultsAreTheLibrariesOwn() {
        TroupeConfig defaults = TroupeConfig.defaults();
        GivonConfig givon = GivonConfig.builder().apiKey("k").build();

        WorkerConfig fromConfig = defaults.workerConfig(givon);
        WorkerConfig fromLibrary = WorkerConfig.builder("127.0.0.1:9092", givon).ops("127.0.0.1", 9464).build();

        assertThat(fromConfig).isEqualTo(fromLibrary);
        assertThat(defaults.givon().toGivonConfig(ApiKey.of("k"))).isEqualTo(givon);
        assertThat(defaults.budget()).isEqualTo(BudgetPolicy.unlimited());
    }

    @Test
    void kafkaPropertiesAreKafkasOwnNamesAndValues() throws IOException {
        Path file = Files.writeString(dir.resolve("troupe.yaml"), """
                kafka:
                  securty.protocol: SSL
                  max.poll.records: -5
                  sasl.jaas.config: "secret"
                  fetch.max.bytes: lots
                  entirely.made.up: x
                """);

        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid configuration (4 problems):")
                .hasMessageContaining("kafka.securty.protocol (" + file + "): not a Kafka client property; did you mean kafka.security.protocol?")
                .hasMessageContaining("kafka.max.poll.records (" + file + "): Kafka refuses '-5': Value must be at least 1")
                .hasMessageContaining("kafka.fetch.max.bytes (" + file + "): Kafka refuses 'lots': ")
                .hasMessageContaining("kafka.entirely.made.up (" + file + "): not a Kafka client property (see the producer, consumer")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    @Test
    void environmentVariablesOverrideTheFileAndReachKafkaClients() throws IOException {
        Path file = Files.writeString(dir.resolve("troupe.yaml"), """
                kafka:
                  bootstrap.servers: kafka-1:9092
                  security.protocol: SASL_SSL
                worker:
                  concurrency: 32
                budget:
                  tenants:
                    studio-a:
                      limit: 50000
                      window: 1d
                      on-exhausted: reject
                """);

        TroupeConfig config = ConfigLoader.load(Optional.of(file), Map.of(
                "TROUPE_WORKER_CONCURRENCY", "128",
                "TROUPE_KAFKA_SASL_MECHANISM", "PLAIN",
                "TROUPE_KAFKA_BOOTSTRAP_SERVERS", "kafka-2:9093",
                "TROUPE_BUDGET_TENANTS_STUDIO_A_LIMIT", "52.5",
                "TROUPE_GIVON_POLL_INITIAL", "10s")).config();

        assertThat(config.worker().concurrency().maxConcurrency()).isEqualTo(128);
        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka-2:9093");
        assertThat(config.kafka().properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"));
        assertThat(config.budget().tenants()).containsExactly(Map.entry("studio-a",
                new BudgetRule(Tokens.parse("52.5"), Duration.ofDays(1), ExhaustionPolicy.REJECT)));
        assertThat(config.givon().poll().initial()).isEqualTo(Duration.ofSeconds(10));
        WorkerConfig worker = config.workerConfig(GivonConfig.builder().apiKey("k").build());
        assertThat(worker.kafkaProperties()).containsEntry("sasl.mechanism", "PLAIN").containsEntry("security.protocol", "SASL_SSL");
        assertThat(worker.bootstrapServers()).isEqualTo("kafka-2:9093");
    }

    @Test
    void theLearnedPollStartIsReadAndItsBoundsCheckedByKey() throws IOException {
        Path file = Files.writeString(dir.resolve("troupe.yaml"), """
                givon:
                  poll:
                    start:
                      floor: 2s
                      ceiling: 10m
                """);
        TroupeConfig config = ConfigLoader.load(Optional.of(file), Map.of("TROUPE_GIVON_POLL_START_LEARN", "false")).config();
        assertThat(config.givon().pollStart()).isEqualTo(new PollStart(false, Duration.ofSeconds(2), Duration.ofMinutes(10)));
        assertThat(config.givon().toGivonConfig(ApiKey.of("k")).pollStart()).isEqualTo(config.givon().pollStart());

        Path bad = Files.writeString(dir.resolve("troupe.yaml"), """
                givon:
                  poll:
                    start:
                      ceiling: 500ms
                """);
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(bad), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::toString)
                        .containsExactly("givon.poll.start.ceiling (" + bad + "): givon.poll.start.ceiling must be >= "
                                + "givon.poll.start.floor (PT1S), got PT0.5S"));
    }

    @Test
    void everyInvalidKeyIsNamedWithTheReason() throws IOException {
        Path file = Files.writeString(dir.resolve("troupe.yaml"), """
                worker:
                  concurrency: 0
                  concurency: 3
                  retry:
                    max-backoff: 100ms
                givon:
                  base-url: ftp://givon.example
                  poll:
                    max: 1s
                budget:
                  default:
                    limit: -5
                topics:
                  jobs:
                    partitions: zero
                    name: "jobs with spaces"
                """);

        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of("TROUPE_CLI_KAFKA_TIMEOUT", "soon")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                "cli.kafka-timeout (environment variable TROUPE_CLI_KAFKA_TIMEOUT): must be a duration such as 30s, 5m or 1d, got 'soon'",
                                "topics.jobs.partitions (" + file + "): must be a whole number, got 'zero'",
                                "topics.jobs.name (" + file + "): topics.jobs.name must be 1 to 249 characters of A-Z a-z 0-9 . _ -, got 'jobs with spaces'",
                                "worker.concurrency (" + file + "): worker.concurrency must be between 1 and 5000, was 0",
                                "worker.retry.max-backoff (" + file + "): worker.retry.max-backoff must be >= worker.retry.initial-backoff, got PT0.1S",
                                "budget.default.limit (" + file + "): budget.default.limit must be greater than 0, was -5",
                                "givon.poll.max (" + file + "): givon.poll.max must be >= givon.poll.initial (PT5S), got PT1S",
                                "givon.base-url (" + file + "): givon.base-url must be an absolute http(s) URL with a host, got 'ftp://givon.example'",
                                "worker.concurency (" + file + "): unknown key; known keys here: worker.aimd.additive-increase, "
                                        + "worker.aimd.decrease-factor, worker.aimd.max-pause, worker.aimd.min-decrease-interval, "
                                        + "worker.circuit.failure-threshold, worker.circuit.probe-interval, "
                                        + "worker.concurrency, worker.dedupe-window, worker.event-loops, worker.group-id, worker.max-parked-bytes, worker.max-unfinished-records, "
                                        + "worker.ops.host, worker.ops.port, worker.out-of-tokens-pause, worker.retry.initial-backoff, worker.retry.max-attempts, "
                                        + "worker.retry.max-backoff, worker.revocation-grace, worker.shutdown-grace"));
    }

    @Test
    void theGivonAnswerKeysAreReadFromFileAndEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("troupe.yaml"), """
                givon:
                  request-timeout: 90s
                  min-retry-after: 2s
                  max-retry-after: 10m
                  idempotency: trusted
                  out-of-credit:
                    statuses: 402, 409
                    codes: "1101"
                  concurrency-limit-codes: ""
                """);

        GivonConfig givon = ConfigLoader.load(Optional.of(file), Map.of("TROUPE_GIVON_OUT_OF_CREDIT_CODES", "quota, 1102"))
                .config().givon().toGivonConfig(ApiKey.of("k"));

        assertThat(givon.requestTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(givon.minRetryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(givon.maxRetryAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(givon.idempotency()).isEqualTo(GivonConfig.Idempotency.TRUSTED);
        assertThat(givon.outOfCreditStatuses()).containsExactlyInAnyOrder(402, 409);
        assertThat(givon.outOfCreditCodes()).containsExactlyInAnyOrder("quota", "1102");
        assertThat(givon.concurrencyLimitCodes()).isEmpty();
    }

    @Test
    void badGivonAnswerKeysAreNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("troupe.yaml"), """
                givon:
                  request-timeout: 10s
                  idempotency: maybe
                  out-of-credit:
                    statuses: 402, lots
                """);

        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                "givon.idempotency (" + file + "): must be one of trusted, untrusted, got 'maybe'",
                                "givon.out-of-credit.statuses (" + file + "): must be a comma-separated list of HTTP statuses"
                                        + " such as 402, or \"\" for none, got '402, lots'",
                                "givon.request-timeout (" + file + "): givon.request-timeout must be >= givon.response-timeout"
                                        + " (PT30S) and >= givon.connect-timeout (PT5S), got PT10S"));
    }

    @Test
    void theAccountsLimitsReachTheWorkerAndBadOnesAreNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("troupe.yaml"), """
                givon:
                  max-in-flight: 40
                  max-submissions-per-second: 2.5
                """);
        TroupeConfig config = ConfigLoader.load(Optional.of(file), Map.of("TROUPE_GIVON_MAX_STATUS_READS_PER_SECOND", "20")).config();
        assertThat(config.workerConfig(GivonConfig.builder().apiKey("k").build()).account())
                .isEqualTo(new WorkerConfig.Account(40, 2.5, 20));

        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                givon:
                  max-in-flight: -3
                """);
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(bad), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::toString)
                        .containsExactly("givon.max-in-flight (" + bad + "): givon.max-in-flight must be 0 (no limit) to 1000000, got -3"));
    }

    @Test
    void crossKeyRulesOfTheWorkerAreCheckedAtLoad() throws IOException {
        Path file = Files.writeString(dir.resolve("troupe.yaml"), """
                worker:
                  concurrency: 100
                  max-unfinished-records: 10
                """);

        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.key()).isEqualTo("worker.max-unfinished-records")));
    }

    @Test
    void aKafkaPollIntervalShorterThanTheShutdownGraceIsRefusedAtLoad() throws IOException {
        Path file = Files.writeString(dir.resolve("troupe.yaml"), """
                kafka:
                  max.poll.interval.ms: 300000
                worker:
                  shutdown-grace: 10m
                """);

        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.key()).isEqualTo("kafka.max.poll.interval.ms")))
                .hasMessageContaining("worker.shutdown-grace");
    }

    @Test
    void theJournalKeysReachTheWorker() throws IOException {
        Path file = Files.writeString(dir.resolve("troupe.yaml"), """
                journal:
                  retention: 30d
                """);

        TroupeConfig config = ConfigLoader.load(Optional.of(file), Map.of("TROUPE_JOURNAL_ENABLED", "false")).config();

        assertThat(config.journal()).isEqualTo(new WorkerConfig.Journal(false, Duration.ofDays(30)));
        assertThat(config.workerConfig(GivonConfig.builder().apiKey("k").build()).journal())
                .isEqualTo(new WorkerConfig.Journal(false, Duration.ofDays(30)));
        assertThat(TroupeConfig.defaults().journal()).isEqualTo(WorkerConfig.Journal.DEFAULT);
    }

    @Test
    void badJournalKeysAreNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("troupe.yaml"), """
                journal:
                  enabled: yes please
                  retention: 0s
                """);

        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                "journal.enabled (" + file + "): must be true or false, got 'yes please'",
                                "journal.retention (" + file + "): journal.retention must be a positive duration, got PT0S"));
    }

    @Test
    void theResultsKeysReachTheWorker() throws IOException {
        Path file = Files.writeString(dir.resolve("troupe.yaml"), """
                results:
                  commit-interval: 250ms
                  commit-max-outcomes: 200
                  transaction-timeout: 30s
                """);

        TroupeConfig config = ConfigLoader.load(Optional.of(file), Map.of("TROUPE_RESULTS_DELIVERY", "at-least-once")).config();

        WorkerConfig.Results expected = new WorkerConfig.Results(WorkerConfig.Delivery.AT_LEAST_ONCE, Duration.ofMillis(250), 200,
                Duration.ofSeconds(30));
        assertThat(config.results()).isEqualTo(expected);
        assertThat(config.workerConfig(GivonConfig.builder().apiKey("k").build()).results()).isEqualTo(expected);
        assertThat(TroupeConfig.defaults().results()).isEqualTo(WorkerConfig.Results.DEFAULT);
        assertThat(WorkerConfig.Results.DEFAULT.exactlyOnce()).isTrue();
    }

    @Test
    void badResultsKeysAreNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("troupe.yaml"), """
                results:
                  delivery: twice
                  commit-max-outcomes: 0
                """);

        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                "results.delivery (" + file + "): must be one of exactly-once, at-least-once, got 'twice'",
                                "results.commit-max-outcomes (" + file + "): results.commit-max-outcomes must be 1..100000, got 0"));
        Path tooShort = Files.writeString(dir.resolve("short.yaml"), """
                results:
                  commit-interval: 10s
                  transaction-timeout: 15s
                """);
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(tooShort), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("results.transaction-timeout (PT15S) must be at least twice results.commit-interval (PT10S)");
    }

    @Test
    void theStateTopicHasAsManyPartitionsAsTheJobsTopicUnlessSaidOtherwise() throws IOException {
        Path file = Files.writeString(dir.resolve("troupe.yaml"), """
                topics:
                  jobs:
                    partitions: 24
                """);

        TopicsConfig topics = ConfigLoader.load(Optional.of(file), Map.of()).config().topics();

        assertThat(topics.state().partitions()).isEqualTo(24);
        assertThat(topics.state().compacted()).isTrue();
        assertThat(TroupeConfig.defaults().topics().state().partitions()).isEqualTo(TroupeConfig.defaults().topics().jobs().partitions());
    }

    @Test
    void aStateTopicOfAnotherPartitionCountIsRefusedWhileTheJournalIsOn() throws IOException {
        Path file = Files.writeString(dir.resolve("troupe.yaml"), """
                topics:
                  jobs:
                    partitions: 24
                  state:
                    partitions: 12
                """);

        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::toString)
                        .containsExactly("topics.state.partitions (" + file + "): must equal topics.jobs.partitions (24) while"
                                + " journal.enabled is true, got 12: the journal of jobs partition p is state partition p;"
                                + " auto follows topics.jobs.partitions"));
        assertThat(ConfigLoader.load(Optional.of(file), Map.of("TROUPE_JOURNAL_ENABLED", "false")).config().topics().state()
                .partitions()).isEqualTo(12);
    }

    @Test
    void aTroupeVariableThatNamesNoKeyIsAWarning() {
        ConfigLoader.Loaded loaded = ConfigLoader.load(Optional.empty(), Map.of("TROUPE_WORKER_CONCURENCY", "3", "TROUPE_HOME", "/opt"));

        assertThat(loaded.warnings()).containsExactly(
                "TROUPE_WORKER_CONCURENCY is set but names no configuration key (see config/troupe.yaml); ignored");
    }

    @Test
    void anExplicitFileThatDoesNotExistIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir.resolve("nope.yaml")), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nope.yaml does not exist");
    }

    private static Path shippedConfig() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("config/troupe.yaml");
            if (Files.isRegularFile(candidate) && Files.exists(d.resolve("mvnw"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("config/troupe.yaml not found");
    }
}
