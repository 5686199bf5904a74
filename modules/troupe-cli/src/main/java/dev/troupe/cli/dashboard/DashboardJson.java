package dev.troupe.cli.dashboard;

import dev.troupe.cli.budget.BudgetWindow;
import dev.troupe.cli.dashboard.ViewRecords.BatchDetail;
import dev.troupe.cli.dashboard.ViewRecords.BatchSummary;
import dev.troupe.cli.dashboard.ViewRecords.FailureGroup;
import dev.troupe.cli.dashboard.ViewRecords.JobLine;
import dev.troupe.cli.dashboard.ViewRecords.Page;
import dev.troupe.cli.dashboard.ViewRecords.Parked;
import dev.troupe.cli.dashboard.ViewRecords.Throughput;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The dashboard's JSON answers (docs/dashboard.md "HTTP API"), from the view's snapshots. */
final class DashboardJson {

    private DashboardJson() {
    }

    static <T> JsonObject page(Page<T> page, Function<T, JsonObject> item) {
        JsonArray items = new JsonArray();
        page.items().forEach(i -> items.add(item.apply(i)));
        return new JsonObject().put("total", page.total()).put("offset", page.offset()).put("limit", page.limit()).put("items", items);
    }

    static JsonObject batch(BatchSummary b) {
        JsonObject counts = new JsonObject();
        for (JobStatus status : JobStatus.values()) {
            counts.put(status.name(), b.phases().get(JobPhase.of(status)));
        }
        JsonObject states = new JsonObject()
                .put("queued", b.phases().get(JobPhase.QUEUED))
                .put("parked", b.phases().get(JobPhase.PARKED))
                .put("held", b.phases().get(JobPhase.HELD))
                .put("atGivon", b.phases().get(JobPhase.AT_GIVON))
                .put("finished", b.finished());
        return new JsonObject().put("batchId", b.batchId()).put("tenant", b.tenant()).put("jobs", b.jobs()).put("jobsKnown", b.jobsKnown())
                .put("counts", counts).put("states", states).put("finished", b.finished())
                .put("percent", Math.round(b.percent() * 10) / 10.0).put("complete", b.complete())
                .put("tokensSpent", tokens(b.spent())).put("tokensEstimated", tokens(b.estimated()))
                .put("startedAt", instant(b.startedAt())).put("finishedAt", instant(b.finishedAt()))
                .put("etaSeconds", b.etaSeconds() < 0 ? null : Math.round(b.etaSeconds() * 10) / 10.0)
                .put("ratePerSecond", Math.round(b.ratePerSecond() * 100) / 100.0).put("jobsHeld", b.rowsHeld());
    }

    static JsonObject detail(BatchDetail detail) {
        JsonArray failures = new JsonArray();
        for (FailureGroup group : detail.failures()) {
            failures.add(new JsonObject().put("status", group.status()).put("code", group.code()).put("count", group.count())
                    .put("message", group.message()).put("jobIds", new JsonArray(List.copyOf(group.jobIds()))));
        }
        return batch(detail.summary()).put("failures", failures).put("parkedUntil", instant(detail.parkedUntil()));
    }

    static JsonObject job(JobLine job) {
        return new JsonObject().put("jobId", job.jobId()).put("status", job.phase() == null ? JobPhase.QUEUED.name() : job.phase().name())
                .put("run", job.run()).put("character", job.character()).put("motion", job.motion())
                .put("renderSeconds", job.renderSeconds() < 0 ? null : job.renderSeconds()).put("costTokens", tokens(job.cost()))
                .put("attempts", job.attempts()).put("generationId", job.generationId()).put("videoUrl", job.videoUrl())
                .put("errorCode", job.errorCode()).put("errorMessage", job.errorMessage())
                .put("completedAt", instant(job.completedAt())).put("parkedUntil", instant(job.parkedUntil()));
    }

    static JsonObject throughput(Throughput throughput) {
        JsonArray series = new JsonArray();
        for (Map.Entry<Instant, int[]> bucket : throughput.buckets()) {
            JsonObject counts = new JsonObject();
            for (JobStatus status : JobStatus.values()) {
                counts.put(status.name(), bucket.getValue()[status.ordinal()]);
            }
            series.add(new JsonArray().add(bucket.getKey().toString()).add(counts));
        }
        return new JsonObject().put("bucketSeconds", throughput.bucketSeconds()).put("series", series);
    }

    static JsonObject budget(BudgetWindow window, Parked parked, List<BudgetBoard.Burn> burn) {
        JsonArray line = new JsonArray();
        burn.forEach(point -> line.add(new JsonArray().add(point.at().toString()).add(tokens(point.spent())).add(tokens(point.reserved()))));
        boolean current = window.which() == BudgetWindow.Which.CURRENT;
        return new JsonObject().put("budget", window.budget()).put("window", current ? "current" : "previous")
                .put("start", instant(window.start())).put("end", instant(window.end()))
                .put("windowSeconds", java.time.Duration.between(window.start(), window.end()).toSeconds())
                .put("policy", window.policy().name().toLowerCase(java.util.Locale.ROOT))
                .put("limit", tokens(window.limit())).put("spent", tokens(window.spent())).put("reserved", tokens(window.reserved()))
                .put("remaining", tokens(window.remaining())).put("openReservations", window.openReservations())
                .put("overspend", tokens(window.overspend())).put("complete", window.complete())
                .put("parkedJobs", current && parked != null ? parked.jobs() : current ? window.parkedJobs() : 0)
                .put("resumesAt", current && parked != null ? instant(parked.firstResume()) : null)
                .put("burn", current ? line : new JsonArray());
    }

    static JsonObject error(String message) {
        return new JsonObject().put("error", message);
    }

    static String tokens(Tokens tokens) {
        return tokens == null ? null : tokens.toString();
    }

    static String instant(Instant at) {
        return at == null ? null : at.toString();
    }
}
