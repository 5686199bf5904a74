package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliUsageTest {

    @Test
    void everyCommandExplainsItselfAndItsExitCodes() {
        for (List<String> command : List.<List<String>>of(List.of(), List.of("demo"), List.of("worker"), List.of("submit"), List.of("batch"),
                List.of("watch"), List.of("budget"), List.of("topics"), List.of("topics", "create"), List.of("sim"))) {
            String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help")).toArray(String[]::new);
            CliRun.Result help = CliRun.run(args);
            assertThat(help.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(help.out()).as(String.join(" ", args))
                    .contains("Usage: troupe" + (command.isEmpty() ? "" : " " + String.join(" ", command)))
                    .contains("Exit codes:")
                    .contains("4   invalid job, manifest or configuration, or GIVON_API_KEY missing");
        }
        assertThat(CliRun.run("sim", "--help").out()).contains("--failure-rate P").contains("--concurrency-cap N");
    }

    @Test
    void aBadCommandLineExitsWithTwoAndNamesTheProblem() {
        CliRun.Result unknown = CliRun.run("demo", "--jobz", "3");
        CliRun.Result malformed = CliRun.run("demo", "--timeout", "soon");
        CliRun.Result outOfRange = CliRun.run("demo", "--failure-rate", "2");

        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("Unknown options: '--jobz'").contains("Possible solutions: --jobs");
        assertThat(malformed.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(malformed.err()).contains("'soon' is not a duration");
        assertThat(outOfRange.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(outOfRange.err()).contains("--failure-rate must be between 0 and 1, got 2.0");
    }

    @Test
    void noCommandPrintsTheUsageAndExitsWithTwo() {
        CliRun.Result none = CliRun.run();
        CliRun.Result topics = CliRun.run("topics");

        assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("Usage: troupe").contains("demo").contains("watch");
        assertThat(none.out()).isEmpty();
        assertThat(topics.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(topics.err()).contains("Usage: troupe topics").contains("create");
    }

    @Test
    void aBadCommandLineIsOneLineAndAHintNotTheWholeUsage() {
        CliRun.Result unknown = CliRun.run("watch", "--bogus");
        CliRun.Result missing = CliRun.run("batch");

        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err().lines()).containsExactly("troupe watch: Unknown option: '--bogus'", "Try 'troupe watch --help'.");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err().lines()).containsExactly("troupe batch: Missing required parameter: 'MANIFEST'",
                "Try 'troupe batch --help'.");
    }

    @Test
    void aDurationThatIsNotWholeSecondsSaysWhatIsAccepted() {
        CliRun.Result submit = CliRun.run("submit", "--duration", "3.5", "--dry-run");

        assertThat(submit.exitCode()).isEqualTo(ExitCodes.USAGE);
        // The range is the default model's, as the catalog says.
        dev.troupe.model.FieldSpec duration = dev.troupe.model.ModelCatalog.builtIn().require(dev.troupe.model.ModelCatalog.DEFAULT_MODEL)
                .fields().stream().filter(f -> f.name().equals("duration")).findFirst().orElseThrow();
        assertThat(submit.err().lines().findFirst()).hasValue("troupe submit: Invalid value for option '--duration': whole seconds "
                + duration.min() + ".." + duration.max() + ", got '3.5'");
        assertThat(submit.err()).doesNotContain("is not a long");
    }

    @Test
    void aDemoWithoutConcurrencyIsRefusedBeforeKafkaStarts() {
        CliRun.Result demo = CliRun.run("demo", "--concurrency", "0");

        assertThat(demo.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(demo.err()).contains("troupe demo: --concurrency must be 1.."
                + dev.troupe.worker.limit.ConcurrencyConfig.MAX_CONCURRENCY_CEILING + " (jobs in flight at once), got 0");
        assertThat(demo.out()).as("nothing was started").doesNotContain("Kafka");
    }

    @Test
    void aMisspeltKafkaPropertyIsAConfigurationErrorWithTheNameMeant() {
        CliRun.Result batch = CliRun.run(Map.of("TROUPE_KAFKA_SECURITY_PROTOCL", "SSL"), "batch", "spring.yaml", "--dry-run");

        assertThat(batch.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(batch.err()).contains("kafka.security.protocl (environment variable TROUPE_KAFKA_SECURITY_PROTOCL): not a Kafka client"
                + " property; did you mean kafka.security.protocol (TROUPE_KAFKA_SECURITY_PROTOCOL)?");
    }

    @Test
    void aKafkaValueKafkaWouldRefuseIsAConfigurationErrorNamingTheKey() {
        CliRun.Result batch = CliRun.run(Map.of("TROUPE_KAFKA_SECURITY_PROTOCOL", "SASL_SLL", "TROUPE_KAFKA_SESSION_TIMEOUT_MS", "soon"),
                "batch", "spring.yaml", "--dry-run");

        assertThat(batch.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(batch.err()).contains("invalid configuration (2 problems):")
                .contains("kafka.security.protocol (environment variable TROUPE_KAFKA_SECURITY_PROTOCOL): Kafka refuses 'SASL_SLL': ")
                .contains("kafka.session.timeout.ms (environment variable TROUPE_KAFKA_SESSION_TIMEOUT_MS): Kafka refuses 'soon': ");
    }

    @Test
    void theRealGivonNeedsAnApiKeyAndSaysSoBeforeTouchingKafka() {
        CliRun.Result worker = CliRun.run(Map.of(), "worker", "--kafka", "127.0.0.1:1");

        assertThat(worker.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(worker.err()).contains("GIVON_API_KEY is not set").contains("--givon sim");
    }

    @Test
    void anInvalidConfigurationNamesEachKeyAndWhereItsValueCameFrom() {
        CliRun.Result worker = CliRun.run(Map.of("TROUPE_WORKER_CONCURRENCY", "lots", "TROUPE_GIVON_BASE_URL", "ftp://givon"),
                "worker", "--givon", "sim");

        assertThat(worker.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(worker.err())
                .contains("worker.concurrency (environment variable TROUPE_WORKER_CONCURRENCY): must be a whole number, got 'lots'")
                .contains("givon.base-url (environment variable TROUPE_GIVON_BASE_URL): givon.base-url must be an absolute");
    }
}
