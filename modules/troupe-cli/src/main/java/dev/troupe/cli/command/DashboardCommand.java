package dev.troupe.cli.command;

import dev.troupe.cli.CliContext;
import dev.troupe.cli.CliFailure;
import dev.troupe.cli.CommonOptions;
import dev.troupe.cli.ExitCodes;
import dev.troupe.cli.UntilSignal;
import dev.troupe.cli.config.DashboardSettings;
import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.cli.dashboard.Dashboard;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code troupe dashboard}: the live web view, until Ctrl-C. */
@Command(name = "dashboard", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Serve a live web view of batches, budgets and the fleet, until Ctrl-C.",
        description = {
            "Reads topics.results (read_committed), topics.progress, topics.batches and topics.budget from their start, and the "
                    + "workers' /metrics (dashboard.metrics), into a bounded view (dashboard.max-results job rows, "
                    + "dashboard.max-batches batches), and serves it at http://<dashboard.host>:<dashboard.port>/ with live "
                    + "updates. Read-only unless --actions: then the page can cancel a batch, retry its failed jobs and pause or "
                    + "resume a tenant, through troupe.control as troupe cancel / retry / pause / resume do.",
            "",
            "On any address but 127.0.0.1/localhost a token is required: set it in the variable dashboard.token-env names "
                    + "(TROUPE_DASHBOARD_TOKEN) and open the page once as /?token=<token>. See docs/dashboard.md."},
        footer = {"", "Examples:",
            "  troupe dashboard",
            "  troupe dashboard --actions --metrics http://127.0.0.1:9464/metrics --metrics http://127.0.0.1:9465/metrics",
            "  TROUPE_DASHBOARD_TOKEN=$(openssl rand -hex 16) troupe dashboard --host 0.0.0.0"})
public final class DashboardCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Interface to listen on (default: dashboard.host, 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "Port, 0 = any free one (default: dashboard.port, 8070).")
    Integer port;

    @Option(names = "--actions", description = "Let the page cancel, retry, pause and resume (default: read-only).")
    boolean actions;

    @Option(names = "--metrics", paramLabel = "URL", description = "A worker's /metrics endpoint; repeat for each worker "
            + "(default: dashboard.metrics).")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--max-results", paramLabel = "N", description = "Job rows held (default: dashboard.max-results, 200000).")
    Integer maxResults;

    @Option(names = "--max-batches", paramLabel = "N", description = "Batches held (default: dashboard.max-batches, 1000).")
    Integer maxBatches;

    public DashboardCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TroupeConfig config = settings(common.load(context, spec.commandLine().getErr()));
        String token = token(config.dashboard());
        config.kafka().awaitReachable();
        Vertx vertx = Vertx.vertx();
        Dashboard dashboard;
        try {
            dashboard = Dashboard.start(vertx, config, token, actions);
        } catch (IllegalStateException | IllegalArgumentException e) {
            vertx.close();
            throw new CliFailure(ExitCodes.FAILURE, e.getMessage());
        }
        out.println("Dashboard " + dashboard.url() + (token == null ? "" : " (open it once as " + dashboard.url() + "?token=<token>)"));
        out.println("  reading " + config.topics().results().name() + ", " + config.topics().progress().name() + ", "
                + config.topics().batches().name() + ", " + config.topics().budget().name() + " at " + config.kafka().bootstrapServers()
                + "; " + (actions ? "actions on (cancel, retry, pause, resume)" : "read-only (--actions to act)"));
        out.println("Press Ctrl-C to stop.");
        out.flush();
        UntilSignal.await(() -> {
            dashboard.close();
            try {
                vertx.close().await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("troupe dashboard: unclean shutdown: " + e);
            }
        });
        return ExitCodes.OK;
    }

    /** The configuration with this command's flags applied, each checked by the rule of its key. */
    private TroupeConfig settings(TroupeConfig config) {
        DashboardSettings settings = config.dashboard();
        try {
            if (host != null) {
                settings = settings.withHost(host);
            }
            if (port != null) {
                settings = settings.withPort(port);
            }
            if (!metrics.isEmpty()) {
                settings = settings.withMetrics(metrics.stream().map(URI::create).toList());
            }
            if (maxResults != null || maxBatches != null) {
                settings = settings.withLimits(maxResults != null ? maxResults : settings.maxResults(),
                        maxBatches != null ? maxBatches : settings.maxBatches());
            }
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, e.getMessage().replace("dashboard.", "--"));
        }
        return config.withDashboard(settings);
    }

    /** The token from the environment; required off loopback, and then at least 16 characters. */
    private String token(DashboardSettings settings) {
        String value = context.environment().get(settings.tokenEnv());
        if (value == null || value.isBlank()) {
            if (!DashboardSettings.loopback(settings.host())) {
                throw new CliFailure(ExitCodes.USAGE, "the dashboard listens on " + settings.host() + ", beyond this machine: set a token in "
                        + settings.tokenEnv() + " (at least 16 characters, e.g. $(openssl rand -hex 16))");
            }
            return null;
        }
        String token = value.trim();
        if (token.length() < 16 || token.length() > 256 || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new CliFailure(ExitCodes.USAGE, settings.tokenEnv() + " must be 16..256 printable characters without spaces");
        }
        return token;
    }
}
