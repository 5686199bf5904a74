package dev.troupe.cli.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetSnapshotTest {

    private static final Instant AT = Instant.parse("2026-12-07T00:01:00Z");

    @Test
    void snapshotsWithTheSameFiguresAreTheSameWhenEverTheyWereTaken() {
        FleetSnapshot first = snapshot(AT, 3, 7L);

        assertThat(first.sameFiguresAs(snapshot(AT.plusSeconds(2), 3, 7L))).isTrue();
        assertThat(first.sameFiguresAs(snapshot(AT, 4, 7L))).as("a worker's figure changed").isFalse();
        assertThat(first.sameFiguresAs(snapshot(AT, 3, 6L))).as("the lag changed").isFalse();
        assertThat(first.sameFiguresAs(null)).isFalse();
    }

    @Test
    void theJsonSumsTheWorkersThatAnsweredAndCarriesTheContractsFields() {
        FleetSnapshot snapshot = new FleetSnapshot(AT, List.of(worker("http://a/metrics", 3), worker("http://b/metrics", 2),
                WorkerScrape.down("http://c/metrics", "Connection refused")), lag(7L));

        JsonObject json = snapshot.toJson(20);

        assertThat(json.fieldNames()).contains("inFlight", "limit", "maxInFlight", "workers", "lag");
        assertThat(json.getInteger("inFlight")).isEqualTo(5);
        assertThat(json.getInteger("limit")).isEqualTo(16);
        assertThat(json.getInteger("maxInFlight")).isEqualTo(20);
        JsonObject a = json.getJsonArray("workers").getJsonObject(0);
        assertThat(a.fieldNames()).contains("endpoint", "up", "error", "inFlight", "limit", "share", "ready", "circuitOpen",
                "keyRefused", "answers");
        assertThat(a.getJsonObject("answers").fieldNames()).containsExactlyElementsOf(WorkerMetricNames.ANSWER_CLASSES);
        assertThat(a.getJsonObject("answers").getLong("429")).isEqualTo(1L);
        JsonObject c = json.getJsonArray("workers").getJsonObject(2);
        assertThat(c.getBoolean("up")).isFalse();
        assertThat(c.getString("error")).isEqualTo("Connection refused");
        assertThat(c.getValue("inFlight")).isNull();
        JsonObject lag = json.getJsonObject("lag");
        assertThat(lag.getString("group")).isEqualTo("troupe-workers");
        assertThat(lag.getLong("total")).isEqualTo(7L);
        assertThat(lag.getJsonArray("partitions").getJsonObject(0).getMap()).containsEntry("partition", 0).containsEntry("lag", 7L);
    }

    private static FleetSnapshot snapshot(Instant at, int inFlight, long lag) {
        return new FleetSnapshot(at, List.of(worker("http://a/metrics", inFlight)), lag(lag));
    }

    private static ConsumerLag lag(long lag) {
        return ConsumerLag.of("troupe-workers", "troupe.jobs", List.of(new ConsumerLag.PartitionLag(0, lag, 10 + lag, 10L)));
    }

    private static WorkerScrape worker(String endpoint, int inFlight) {
        String text = """
                troupe_jobs_in_flight %d
                troupe_concurrency_limit 8
                troupe_concurrency_share 10
                troupe_concurrency_max 8
                troupe_worker_ready 1
                troupe_givon_circuit_open 0
                troupe_givon_key_refused 0
                troupe_givon_exchanges_total{kind="submit",class="2xx"} 12
                troupe_givon_exchanges_total{kind="submit",class="429"} 1
                """.formatted(inFlight);
        return WorkerScrape.of(endpoint, PrometheusText.parse(text));
    }
}
