package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code troupe dashboard} refuses what it must not run with before it reads anything (the server: DashboardServerTest). */
class DashboardCommandTest {

    @Test
    void beyondThisMachineItNeedsATokenOfSixteenCharactersAtLeast() {
        CliRun.Result open = CliRun.run(Map.of(), "dashboard", "--host", "0.0.0.0");
        CliRun.Result weak = CliRun.run(Map.of("TROUPE_DASHBOARD_TOKEN", "short"), "dashboard", "--host", "0.0.0.0");

        assertThat(open.exitCode()).as(open.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(open.err()).contains("the dashboard listens on 0.0.0.0, beyond this machine: set a token in TROUPE_DASHBOARD_TOKEN");
        assertThat(weak.exitCode()).as(weak.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(weak.err()).contains("TROUPE_DASHBOARD_TOKEN must be 16..256 printable characters without spaces")
                .doesNotContain("names no configuration key"); // the token's variable is not mistaken for a misspelt key
    }

    @Test
    void itsBoundsAndAddressesAreCheckedAndNamed() {
        CliRun.Result rows = CliRun.run("dashboard", "--max-results", "5");
        CliRun.Result port = CliRun.run("dashboard", "--port", "-3");
        CliRun.Result metrics = CliRun.run("dashboard", "--metrics", "ftp://127.0.0.1/metrics");

        assertThat(rows.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(rows.err()).contains("--max-results must be 1000..5000000, got 5");
        assertThat(port.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(port.err()).contains("--port must be 0..65535 (0 = any free port), got -3");
        assertThat(metrics.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(metrics.err()).contains("--metrics must be http(s)://host:port/metrics URLs, got 'ftp://127.0.0.1/metrics'");
    }
}
