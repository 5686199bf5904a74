package dev.troupe.cli.dashboard;

import dev.troupe.cli.budget.BudgetLogReader;
import dev.troupe.cli.config.DashboardSettings;
import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.model.JobCodec;
import dev.troupe.model.ModelCatalog;
import dev.troupe.worker.WorkerConfig;
import dev.troupe.worker.budget.FleetBudget;
import io.vertx.core.Vertx;
import dev.troupe.cli.dashboard.fleet.FleetProbe;
import dev.troupe.cli.dashboard.fleet.FleetSnapshot;
import dev.troupe.cli.dashboard.fleet.WorkerScrape;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code troupe dashboard} assembled: the Kafka feed and the budget board filling the view, the fleet probe (the
 * workers' metrics and the group's lag), the
 * HTTP server. {@link #start} returns once the server listens (the feed catches up in the background: the page
 * says so); {@link #close} stops them in reverse order.
 */
public final class Dashboard implements AutoCloseable {

    /** How often the workers' metrics and the group's lag are read. */
    static final Duration FLEET_INTERVAL = Duration.ofSeconds(2);

    private final DashboardFeed feed;
    private final BudgetBoard budgets;
    private final FleetProbe fleet;
    private final DashboardServer server;
    private final String host;
    private final int port;

    private Dashboard(DashboardFeed feed, BudgetBoard budgets, FleetProbe fleet, DashboardServer server, String host, int port) {
        this.feed = feed;
        this.budgets = budgets;
        this.fleet = fleet;
        this.server = server;
        this.host = host;
        this.port = port;
    }

    /**
     * @param token   required unless {@code config.dashboard().host()} is a loopback address; null for none
     * @param actions whether the page may cancel, retry, pause and resume
     * @throws IllegalStateException when the server cannot listen
     */
    public static Dashboard start(Vertx vertx, TroupeConfig config, String token, boolean actions) {
        if (token == null && !DashboardSettings.loopback(config.dashboard().host())) {
            throw new IllegalArgumentException("dashboard.host " + config.dashboard().host() + " is not a loopback address: set a token ("
                    + config.dashboard().tokenEnv() + ")");
        }
        Clock clock = Clock.systemUTC();
        JobCodec codec = new JobCodec(ModelCatalog.builtIn(), config.validation());
        DashboardView view = new DashboardView(config.dashboard().maxResults(), config.dashboard().maxBatches(), clock);
        DashboardFeed feed = new DashboardFeed(config.kafka(), new DashboardFeed.Topics(config.topics().results().name(),
                config.topics().progress().name(), config.topics().batches().name()), view, codec).start();
        Duration holds = BudgetLogReader.holdLookBack(config.worker().outOfTokensPause());
        BudgetBoard budgets = new BudgetBoard(config.kafka(), config.topics().budget().name(),
                config.budgetScope() == WorkerConfig.BudgetScope.FLEET ? FleetBudget.limited(config.budget()) : Map.of(), holds, clock,
                view::budgetsChanged).start();
        FleetProbe fleet = FleetProbe.start(vertx, config.kafka(), config.worker().groupId(), config.topics().jobs().name(),
                config.dashboard().metrics(), FLEET_INTERVAL, clock);
        fleet.onChange(view::fleetChanged);
        int accountMax = config.givon().account().maxInFlight();
        Integer maxInFlight = accountMax > 0 ? accountMax : null;
        DashboardServer server = new DashboardServer(vertx, config, new DashboardServer.Sources(view, budgets,
                () -> fleet.latest().toJson(maxInFlight), () -> workerBudgets(fleet.latest()), feed::caughtUp), token, actions, clock);
        int port;
        try {
            port = server.start().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            fleet.close();
            budgets.close();
            feed.close();
            throw new IllegalStateException("the dashboard cannot listen on " + config.dashboard().host() + ":" + config.dashboard().port()
                    + ": " + e.getMessage(), e);
        }
        return new Dashboard(feed, budgets, fleet, server, config.dashboard().host(), port);
    }

    /**
     * With {@code budget.scope: worker} each worker keeps its own budgets and the log holds none: each worker's
     * limited budgets as its metrics give them, one card each, named by budget and worker.
     */
    static JsonArray workerBudgets(FleetSnapshot snapshot) {
        JsonArray cards = new JsonArray();
        for (WorkerScrape worker : snapshot.workers()) {
            if (!worker.up() || worker.budgets() == null) {
                continue;
            }
            String where = URI.create(worker.endpoint()).getAuthority();
            worker.budgets().forEach((budget, figures) -> {
                if (!figures.limited()) {
                    return;
                }
                cards.add(new JsonObject().put("budget", budget + " at " + where).put("window", "current")
                        .put("limit", DashboardJson.tokens(figures.limit())).put("spent", DashboardJson.tokens(figures.spent()))
                        .put("reserved", DashboardJson.tokens(figures.reserved())).put("remaining", DashboardJson.tokens(figures.remaining()))
                        .put("windowSeconds", figures.windowSeconds()).put("burn", new JsonArray()));
            });
        }
        return cards;
    }

    public int port() {
        return port;
    }

    /** The address to open: the host it listens on (127.0.0.1 for a wildcard bind) and its port. */
    public String url() {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
        return "http://" + shown + ":" + port + "/";
    }

    @Override
    public void close() {
        try {
            server.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the server's sockets go with the Vert.x instance
        } finally {
            fleet.close();
            budgets.close();
            feed.close();
        }
    }
}
