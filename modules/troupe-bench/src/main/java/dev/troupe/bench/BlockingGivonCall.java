package dev.troupe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.givon.PollBackoff;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.MotionJob;
import dev.troupe.model.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One job, the textbook way: the calling thread submits with a blocking {@link HttpClient#send},
 * then sleeps and reads the status until it is terminal. Transient answers (429, 5xx, I/O) are retried
 * a few times; anything else fails the job. The status is read at the same pace as Troupe's.
 */
final class BlockingGivonCall {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ATTEMPTS = 5;
    private static final Duration RETRY_WAIT = Duration.ofMillis(50);

    private final HttpClient http;
    private final String baseUrl;
    private final PollBackoff pollBackoff;
    private final ModelCatalog catalog = ModelCatalog.builtIn();
    private final String authorization = "Bearer " + SimulatorConfig.DEFAULT_API_KEY;

    BlockingGivonCall(HttpClient http, String baseUrl, PollBackoff pollBackoff) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.pollBackoff = pollBackoff;
    }

    JobResult run(MotionJob job, Instant enqueuedAt) throws InterruptedException {
        Instant started = Instant.now();
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", catalog.require(job.model()).type());
        envelope.put("model", job.model());
        envelope.put("input", job.input().fields());
        HttpRequest submit;
        try {
            submit = request("/api/v1/generations")
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", job.jobId())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(envelope)))
                    .build();
        } catch (IOException e) {
            return failed(job, enqueuedAt, started, null, 0, "INVALID_JOB", e.toString());
        }
        Answer created = exchange(submit);
        if (created.status() / 100 != 2 || !created.body().hasNonNull("id")) {
            return failed(job, enqueuedAt, started, null, created.attempts(), "GIVON_ERROR", created.describe());
        }
        String generationId = created.body().get("id").asText();
        Instant submitted = Instant.now();
        HttpRequest status = request("/api/v1/generations/" + generationId).GET().build();
        for (int step = 0; ; step++) {
            Answer read = exchange(status);
            if (read.status() != 200) {
                return failed(job, enqueuedAt, started, generationId, created.attempts(), "FOLLOW_FAILED", read.describe());
            }
            String phase = read.body().path("status").asText("").toLowerCase(Locale.ROOT);
            if (phase.equals("succeeded") || phase.equals("failed")) {
                Tokens cost = read.body().hasNonNull("cost") ? Tokens.parse(read.body().get("cost").asText()) : Tokens.ZERO;
                JobStatus outcome = phase.equals("succeeded") ? JobStatus.SUCCEEDED : JobStatus.FAILED;
                String url = read.body().path("output").path("url").asText(null);
                JobResult.Error error = outcome == JobStatus.FAILED
                        ? JobResult.Error.of("GENERATION_FAILED", read.body().path("error").path("message").asText(""), false)
                        : null;
                return new JobResult(job.jobId(), job.batchId(), job.tenant(), outcome, generationId, url, cost,
                        created.attempts(), error, new JobResult.Timings(enqueuedAt, started, submitted, Instant.now()),
                        job.metadata());
            }
            Thread.sleep(Math.max(1, pollBackoff.delay(step, ThreadLocalRandom.current()).toMillis()));
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization)
                .header("Accept", "application/json");
    }

    private record Answer(int status, JsonNode body, int attempts, String error) {
        String describe() {
            return error != null ? error : "HTTP " + status + ": " + body;
        }
    }

    /** Sends, retrying 429, 5xx and I/O errors up to {@value #MAX_ATTEMPTS} attempts. */
    private Answer exchange(HttpRequest request) throws InterruptedException {
        Answer last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int code = response.statusCode();
                JsonNode body = response.body().length == 0 ? JSON.nullNode() : readTree(response.body());
                last = new Answer(code, body, attempt, null);
                if (code != 429 && code < 500) {
                    return last;
                }
            } catch (IOException e) {
                last = new Answer(-1, JSON.nullNode(), attempt, e.toString());
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(RETRY_WAIT.toMillis() * attempt + 1));
        }
        return last;
    }

    private static JsonNode readTree(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.nullNode();
        }
    }

    private static JobResult failed(MotionJob job, Instant enqueuedAt, Instant started, String generationId, int attempts,
            String code, String message) {
        return new JobResult(job.jobId(), job.batchId(), job.tenant(), JobStatus.FAILED, generationId, null, Tokens.ZERO,
                attempts, JobResult.Error.of(code, message, false),
                new JobResult.Timings(enqueuedAt, started, null, Instant.now()), job.metadata());
    }
}
