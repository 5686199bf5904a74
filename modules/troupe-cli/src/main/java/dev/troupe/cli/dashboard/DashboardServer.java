package dev.troupe.cli.dashboard;

import dev.troupe.cli.config.DashboardSettings;
import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.cli.dashboard.ViewRecords.Parked;
import dev.troupe.cli.budget.BudgetWindow;
import dev.troupe.cli.view.StatusJson;
import dev.troupe.client.results.ExportFormat;
import dev.troupe.client.results.ResultExport;
import dev.troupe.client.results.ResultsWatcher;
import dev.troupe.client.results.WatchRequest;
import dev.troupe.client.status.JobStory;
import dev.troupe.client.status.JobStoryReader;
import dev.troupe.model.ControlCommand;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobStatus;
import dev.troupe.model.ModelCatalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code troupe dashboard}'s HTTP side: the page and its assets from the classpath, the JSON API over the
 * {@link DashboardView}, the budget board and the fleet probe, live changes as server-sent events, and the actions
 * when enabled. Handlers run on one event loop and never wait: reads of Kafka (a job's story, an export, an
 * action) run on worker threads, at most {@value #MAX_BLOCKING} at once.
 */
final class DashboardServer {

    static final int MAX_BLOCKING = 4;
    static final int MAX_EVENT_STREAMS = 64;
    static final int MAX_ID_CHARS = 256;
    static final long CHANGE_MILLIS = 500;
    static final long PING_MILLIS = 15_000;
    static final String COOKIE = "troupe_dashboard";
    static final String ACTION_HEADER = "X-Troupe-Action";
    private static final String WEBJAR_UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist";

    /** What the server shows besides the view. */
    record Sources(DashboardView view, BudgetBoard budgets, Supplier<JsonObject> fleet, Supplier<JsonArray> workerBudgets,
                          Supplier<Boolean> caughtUp) {
    }

    private final Vertx vertx;
    private final TroupeConfig config;
    private final DashboardSettings settings;
    private final Sources sources;
    private final String token;
    private final boolean actionsOn;
    private final DashboardActions actions;
    private final JobCodec codec;
    private final Clock clock;
    private final AtomicInteger blocking = new AtomicInteger();
    /** The live pages; added by request handlers, written by the change timer (on another event loop). */
    private final Set<HttpServerResponse> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private HttpServer server;
    private long changeTimer = -1;
    private long pingTimer = -1;

    /** @param token null for none (only on a loopback address: {@link Dashboard#start} refuses it elsewhere) */
    DashboardServer(Vertx vertx, TroupeConfig config, Sources sources, String token, boolean actionsOn, Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.settings = config.dashboard();
        this.sources = sources;
        this.token = token;
        this.actionsOn = actionsOn;
        this.codec = new JobCodec(ModelCatalog.builtIn(), config.validation());
        this.clock = clock;
        this.actions = new DashboardActions(config, codec, clock);
    }

    /** Starts listening; completes with the port. */
    Future<Integer> start() {
        Router router = Router.router(vertx);
        router.route().handler(this::guard);
        router.get("/").handler(ctx -> ctx.reroute("/assets/index.html"));
        router.get("/assets/*").handler(StaticHandler.create("dashboard").setCachingEnabled(false).setIndexPage("index.html"));
        router.get("/webjars/uplot/*").handler(StaticHandler.create(WEBJAR_UPLOT));
        router.get("/api/info").handler(this::info);
        router.get("/api/batches").handler(this::batches);
        router.get("/api/batches/:batchId").handler(this::batch);
        router.get("/api/batches/:batchId/jobs").handler(this::jobs);
        router.get("/api/batches/:batchId/export").handler(this::export);
        router.get("/api/jobs/:jobId").handler(this::job);
        router.get("/api/budgets").handler(this::budgets);
        router.get("/api/fleet").handler(this::fleet);
        router.get("/api/events").handler(this::events);
        router.post("/api/actions/*").handler(BodyHandler.create().setBodyLimit(16 * 1024));
        router.post("/api/actions/:action").handler(this::action);
        router.route("/api/*").handler(ctx -> json(ctx, 404, DashboardJson.error("no such API: " + ctx.request().path())));
        changeTimer = vertx.setPeriodic(CHANGE_MILLIS, id -> pushChanges());
        pingTimer = vertx.setPeriodic(PING_MILLIS, id -> streams.forEach(s -> s.write(": ping\n\n")));
        return vertx.createHttpServer().requestHandler(router).listen(settings.port(), settings.host()).map(s -> {
            server = s;
            return s.actualPort();
        });
    }

    Future<Void> close() {
        vertx.cancelTimer(changeTimer);
        vertx.cancelTimer(pingTimer);
        streams.forEach(s -> s.end());
        streams.clear();
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.eventually(() -> vertx.executeBlocking(() -> {
            actions.close();
            return null;
        }));
    }

    // ---- access ----

    /** The token (when one is set), the Host (against DNS rebinding onto a loopback dashboard) and headers every answer carries. */
    private void guard(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.putHeader("X-Content-Type-Options", "nosniff").putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                        + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        if (token == null) {
            // Host on HTTP/1.1, :authority on HTTP/2 (a client may upgrade): Vert.x gives either as the authority.
            io.vertx.core.net.HostAndPort authority = ctx.request().authority();
            String host = authority == null ? "" : authority.host();
            if (!DashboardSettings.loopback(host.replace("[", "").replace("]", ""))) {
                json(ctx, 403, DashboardJson.error("Host " + clip(host) + " is not this machine: open the dashboard at 127.0.0.1 or localhost"));
                return;
            }
            ctx.next();
            return;
        }
        String offered = ctx.request().getParam("token");
        if (offered != null && ctx.request().path().equals("/") && same(offered, token)) {
            response.addCookie(Cookie.cookie(COOKIE, token).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath("/"));
            response.setStatusCode(303).putHeader(HttpHeaders.LOCATION, "/").end();
            return;
        }
        String bearer = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        Cookie cookie = ctx.request().getCookie(COOKIE);
        boolean ok = bearer != null && bearer.startsWith("Bearer ") && same(bearer.substring(7), token)
                || cookie != null && same(cookie.getValue(), token);
        if (!ok) {
            json(ctx, 401, DashboardJson.error("this dashboard needs its token: open it once as /?token=<token> or send "
                    + "Authorization: Bearer <token>"));
            return;
        }
        ctx.next();
    }

    private static String version() {
        String version = DashboardServer.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    private static boolean same(String offered, String expected) {
        return MessageDigest.isEqual(offered.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    // ---- reads ----

    private void info(RoutingContext ctx) {
        ViewRecords.Held h = sources.view().held();
        JsonObject topics = new JsonObject().put("results", config.topics().results().name()).put("progress", config.topics().progress().name())
                .put("batches", config.topics().batches().name()).put("budget", config.topics().budget().name())
                .put("control", config.topics().control().name());
        json(ctx, 200, new JsonObject().put("actions", actionsOn).put("readOnly", !actionsOn).put("kafka", config.kafka().bootstrapServers())
                .put("version", version())
                .put("limits", new JsonObject().put("maxResults", settings.maxResults()).put("maxBatches", settings.maxBatches()))
                .put("held", new JsonObject().put("results", h.rows()).put("batches", h.batches()).put("evictedBatches", h.evictedBatches())
                        .put("evictedResults", h.evictedRows()).put("unreadable", h.unreadable()))
                .put("topics", topics).put("caughtUp", sources.caughtUp().get()));
    }

    private void batches(RoutingContext ctx) {
        BatchQuery query;
        try {
            query = new BatchQuery(param(ctx, "q"), param(ctx, "tenant"),
                    choice(ctx, "state", BatchQuery.State.class, BatchQuery.State.ALL),
                    choice(ctx, "sort", BatchQuery.Sort.class, BatchQuery.Sort.STARTED),
                    !"asc".equals(ctx.request().getParam("dir")), number(ctx, "offset", 0), number(ctx, "limit", 50));
        } catch (IllegalArgumentException e) {
            json(ctx, 400, DashboardJson.error(e.getMessage()));
            return;
        }
        JsonObject page = DashboardJson.page(sources.view().batches(query), DashboardJson::batch);
        json(ctx, 200, page.put("tenants", new JsonArray(List.copyOf(sources.view().tenants()))));
    }

    private void batch(RoutingContext ctx) {
        String batchId = id(ctx, "batchId");
        if (batchId == null) {
            return;
        }
        ViewRecords.BatchDetail detail = sources.view().batch(batchId);
        if (detail == null) {
            json(ctx, 404, DashboardJson.error("no batch " + clip(batchId) + " is held (not seen, or forgotten to stay within dashboard.max-batches)"));
            return;
        }
        json(ctx, 200, DashboardJson.detail(detail));
    }

    private void jobs(RoutingContext ctx) {
        String batchId = id(ctx, "batchId");
        if (batchId == null) {
            return;
        }
        JobPhase phase;
        int offset;
        int limit;
        String text = param(ctx, "q");
        try {
            phase = choice(ctx, "status", JobPhase.class, null);
            offset = number(ctx, "offset", 0);
            limit = number(ctx, "limit", 100);
            if (offset < 0 || limit < 1 || limit > 1_000) {
                throw new IllegalArgumentException("offset must be 0 or more and limit 1..1000, got " + offset + " and " + limit);
            }
            if (text != null && text.length() > BatchQuery.MAX_TEXT) {
                throw new IllegalArgumentException("q must be at most " + BatchQuery.MAX_TEXT + " characters");
            }
        } catch (IllegalArgumentException e) {
            json(ctx, 400, DashboardJson.error(e.getMessage()));
            return;
        }
        ViewRecords.Page<ViewRecords.JobLine> page = sources.view().jobs(batchId, phase, text, offset, limit);
        if (page == null) {
            json(ctx, 404, DashboardJson.error("no batch " + clip(batchId) + " is held"));
            return;
        }
        json(ctx, 200, DashboardJson.page(page, DashboardJson::job));
    }

    /** The batch's results read again from the topic, the bytes {@code troupe watch --output} writes. */
    private void export(RoutingContext ctx) {
        String batchId = id(ctx, "batchId");
        if (batchId == null) {
            return;
        }
        ExportFormat format;
        try {
            format = choice(ctx, "format", ExportFormat.class, ExportFormat.CSV);
        } catch (IllegalArgumentException e) {
            json(ctx, 400, DashboardJson.error(e.getMessage()));
            return;
        }
        blocking(ctx, () -> {
            var outcome = new ResultsWatcher(config.kafka(), config.topics().results().name(), codec)
                    .watch(WatchRequest.toCurrentEnd(batchId), dev.troupe.client.results.ProgressListener.NONE);
            StringWriter out = new StringWriter();
            ResultExport.write(out, format, outcome.results(), codec);
            return out.toString();
        }, body -> {
            String name = batchId.replaceAll("[^A-Za-z0-9._-]", "_") + "." + format.name().toLowerCase(Locale.ROOT);
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, format == ExportFormat.CSV ? "text/csv; charset=utf-8"
                            : "application/x-ndjson; charset=utf-8")
                    .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"").end(body);
        });
    }

    private void job(RoutingContext ctx) {
        String jobId = id(ctx, "jobId");
        if (jobId == null) {
            return;
        }
        blocking(ctx, () -> {
            JobStory story = new JobStoryReader(config.kafka(), codec, ModelCatalog.builtIn(), clock).read(new JobStoryReader.Topics(
                    config.topics().jobs().name(), config.topics().results().name(),
                    config.journal().enabled() ? config.topics().state().name() : null, config.topics().progress().name()), jobId);
            return story.known() ? StatusJson.render(story) : null;
        }, body -> {
            if (body == null) {
                json(ctx, 404, DashboardJson.error("no job " + clip(jobId) + " on " + config.topics().jobs().name() + " or "
                        + config.topics().results().name()));
            } else {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8").end(body);
            }
        });
    }

    private void budgets(RoutingContext ctx) {
        BudgetBoard board = sources.budgets();
        JsonArray budgets = new JsonArray();
        String source;
        JsonArray unlimited = new JsonArray();
        config.budget().budgetKeys().stream().filter(key -> !board.rules().containsKey(key)).sorted().forEach(unlimited::add);
        if (!board.rules().isEmpty()) { // the board follows limited budgets only with budget.scope: fleet
            source = "budget-log";
            Map<String, Parked> parked = sources.view().parked(tenant -> config.budget().budgetKey(tenant));
            for (BudgetWindow window : board.windows()) {
                budgets.add(DashboardJson.budget(window, parked.get(window.budget()), board.burn(window.budget())));
            }
        } else {
            JsonArray fromWorkers = sources.workerBudgets().get();
            source = fromWorkers.isEmpty() ? "none" : "worker-metrics";
            budgets.addAll(fromWorkers);
        }
        json(ctx, 200, new JsonObject().put("source", source).put("budgets", budgets).put("unlimited", unlimited));
    }

    private void fleet(RoutingContext ctx) {
        JsonObject fleet = sources.fleet().get().copy();
        fleet.put("throughput", DashboardJson.throughput(sources.view().throughput()));
        json(ctx, 200, fleet);
    }

    // ---- live ----

    private void events(RoutingContext ctx) {
        if (streams.size() >= MAX_EVENT_STREAMS) { // a race may let one or two more in: the bound is on memory, not exact
            json(ctx, 503, DashboardJson.error("too many live pages open (" + MAX_EVENT_STREAMS + "): close some"));
            return;
        }
        HttpServerResponse response = ctx.response();
        response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").putHeader("X-Accel-Buffering", "no");
        response.write("retry: 2000\n\n");
        streams.add(response);
        response.closeHandler(v -> streams.remove(response));
        response.exceptionHandler(e -> streams.remove(response));
    }

    private void pushChanges() {
        DashboardView.Change change = sources.view().drainChanges();
        if (change == null || streams.isEmpty()) {
            return;
        }
        JsonObject data = new JsonObject().put("version", change.version())
                .put("batches", change.batches() == null ? "*" : new JsonArray(List.copyOf(change.batches())))
                .put("budgets", change.budgets()).put("fleet", change.fleet());
        String event = "event: change\ndata: " + data.encode() + "\n\n";
        for (HttpServerResponse stream : List.copyOf(streams)) {
            if (stream.writeQueueFull()) {
                continue; // a slow page skips a change; the next one makes it fetch again
            }
            stream.write(event);
        }
    }

    // ---- actions ----

    private void action(RoutingContext ctx) {
        if (!actionsOn) {
            json(ctx, 403, DashboardJson.error("actions are off: start troupe dashboard with --actions"));
            return;
        }
        if (!"1".equals(ctx.request().getHeader(ACTION_HEADER))) {
            json(ctx, 403, DashboardJson.error("an action needs the header " + ACTION_HEADER + ": 1"));
            return;
        }
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            body = null;
        }
        if (body == null) {
            json(ctx, 400, DashboardJson.error("an action's body must be a JSON object"));
            return;
        }
        JsonObject request = body;
        String action = ctx.pathParam("action");
        try {
            switch (action) {
                case "cancel" -> {
                    String batchId = text(request, "batchId", true);
                    String reason = text(request, "reason", false);
                    controlled(ctx, () -> actions.cancel(batchId, reason));
                }
                case "pause", "resume" -> {
                    String tenant = text(request, "tenant", false);
                    String reason = text(request, "reason", false);
                    controlled(ctx, () -> action.equals("pause") ? actions.pause(tenant, reason) : actions.resume(tenant, reason));
                }
                case "retry" -> {
                    String batchId = text(request, "batchId", true);
                    Set<JobStatus> statuses = statuses(request);
                    blocking(ctx, () -> actions.retry(batchId, statuses), retried -> {
                        JsonArray left = new JsonArray();
                        retried.left().forEach(l -> left.add(new JsonObject().put("jobId", l.jobId()).put("why", l.reason())));
                        json(ctx, 200, new JsonObject().put("sent", retried.sent()).put("left", left));
                    });
                }
                default -> json(ctx, 404, DashboardJson.error("no action " + clip(action) + ": cancel, retry, pause or resume"));
            }
        } catch (IllegalArgumentException e) {
            json(ctx, 400, DashboardJson.error(e.getMessage()));
        }
    }

    private void controlled(RoutingContext ctx, Callable<ControlCommand> send) {
        blocking(ctx, send, command -> json(ctx, 200, new JsonObject().put("sent", command.kind() + " " + command.key())
                .put("topic", actions.controlTopic())));
    }

    private static Set<JobStatus> statuses(JsonObject request) {
        Object value = request.getValue("statuses");
        if (value == null) {
            return EnumSet.of(JobStatus.FAILED, JobStatus.EXPIRED);
        }
        if (!(value instanceof JsonArray list) || list.isEmpty() || list.size() > JobStatus.values().length) {
            throw new IllegalArgumentException("statuses must be a list of FAILED, EXPIRED, REJECTED, CANCELLED");
        }
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        for (Object item : list) {
            JobStatus status;
            try {
                status = JobStatus.valueOf(String.valueOf(item));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("statuses: '" + clip(String.valueOf(item)) + "' is not a status");
            }
            if (status == JobStatus.SUCCEEDED) {
                throw new IllegalArgumentException("statuses: SUCCEEDED runs (and pays for) succeeded jobs again: use troupe retry --job");
            }
            statuses.add(status);
        }
        return statuses;
    }

    private static String text(JsonObject request, String field, boolean required) {
        Object value = request.getValue(field);
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException(field + " is required");
            }
            return null;
        }
        if (!(value instanceof String s) || s.isEmpty() || s.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException(field + " must be a text of 1.." + MAX_ID_CHARS + " characters");
        }
        return s;
    }

    // ---- plumbing ----

    /** Runs {@code work} on a worker thread (at most {@value #MAX_BLOCKING} at once), then {@code answer} on the event loop. */
    private <T> void blocking(RoutingContext ctx, Callable<T> work, java.util.function.Consumer<T> answer) {
        if (blocking.incrementAndGet() > MAX_BLOCKING) {
            blocking.decrementAndGet();
            json(ctx, 503, DashboardJson.error("busy: " + MAX_BLOCKING + " reads of Kafka are under way; try again"));
            return;
        }
        vertx.executeBlocking(work, false).onComplete(done -> {
            blocking.decrementAndGet();
            if (done.succeeded()) {
                answer.accept(done.result());
            } else if (done.cause() instanceof IllegalArgumentException bad) {
                json(ctx, 400, DashboardJson.error(bad.getMessage()));
            } else {
                json(ctx, 502, DashboardJson.error(String.valueOf(done.cause().getMessage())));
            }
        });
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(body.encode());
    }

    /** A path parameter naming a batch or job, checked; null (after a 400) when it breaks the rule. */
    private static String id(RoutingContext ctx, String name) {
        String id = ctx.pathParam(name);
        if (id == null || id.isEmpty() || id.length() > MAX_ID_CHARS || id.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            json(ctx, 400, DashboardJson.error(name + " must be 1.." + MAX_ID_CHARS + " characters without control characters"));
            return null;
        }
        return id;
    }

    private static String param(RoutingContext ctx, String name) {
        String value = ctx.request().getParam(name);
        return value == null ? null : value.trim();
    }

    private static int number(RoutingContext ctx, String name, int fallback) {
        String value = param(ctx, name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + clip(value) + "'");
        }
    }

    private static <E extends Enum<E>> E choice(RoutingContext ctx, String name, Class<E> type, E fallback) {
        String value = param(ctx, name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> names = java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
            throw new IllegalArgumentException(name + " must be one of " + String.join(", ", names) + ", got '" + clip(value) + "'");
        }
    }

    private static String clip(String text) {
        if (text == null) {
            return "";
        }
        String shown = text.length() <= 80 ? text : text.substring(0, 80) + "...";
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
