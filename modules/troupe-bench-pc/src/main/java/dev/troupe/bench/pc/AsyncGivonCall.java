package dev.troupe.bench.pc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.MotionJob;
import dev.troupe.model.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * One job at Givon, the work of the blocking baseline's {@code BlockingGivonCall} (troupe-bench) done
 * without blocking on Vert.x 4: POST the envelope, read the status at once, then wait on a timer per the
 * {@link PollSchedule} between reads until the status is terminal. Transient answers (429, 5xx, I/O) are
 * retried up to {@value #MAX_ATTEMPTS} attempts after a short jittered wait; anything else ends the job.
 * The returned future never fails for a Givon problem: it completes with the job's result (SUCCEEDED,
 * FAILED with GENERATION_FAILED, GIVON_ERROR or FOLLOW_FAILED), built exactly as the baseline builds it.
 * It fails only when Vert.x itself refuses work (closing).
 */
final class AsyncGivonCall {

    static final String SUBMIT_PATH = "/api/v1/generations";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ATTEMPTS = 5;
    private static final long RETRY_WAIT_MS = 50;
    /** The baseline's per-request timeout. */
    private static final long REQUEST_TIMEOUT_MS = 10_000;
    private static final String JSON_TYPE = "application/json";

    private final Vertx vertx;
    private final WebClient web;
    private final PollSchedule schedule;
    private final ModelCatalog catalog = ModelCatalog.builtIn();
    private final String authorization;

    AsyncGivonCall(Vertx vertx, WebClient web, PollSchedule schedule, String apiKey) {
        this.vertx = vertx;
        this.web = web;
        this.schedule = schedule;
        this.authorization = "Bearer " + apiKey;
    }

    Future<JobResult> run(MotionJob job, Instant enqueuedAt) {
        Instant started = Instant.now();
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", catalog.require(job.model()).type());
        envelope.put("model", job.model());
        envelope.put("input", job.input().fields());
        Buffer body;
        try {
            body = Buffer.buffer(JSON.writeValueAsBytes(envelope));
        } catch (JsonProcessingException e) {
            return Future.succeededFuture(failed(job, enqueuedAt, started, null, 0, "INVALID_JOB", e.toString()));
        }
        return exchange(() -> request(web.post(SUBMIT_PATH))
                .putHeader("Content-Type", JSON_TYPE)
                .putHeader("Idempotency-Key", job.jobId())
                .sendBuffer(body))
                .compose(created -> {
                    if (created.status() / 100 != 2 || !created.body().hasNonNull("id")) {
                        return Future.succeededFuture(failed(job, enqueuedAt, started, null, created.attempts(), "GIVON_ERROR",
                                created.describe()));
                    }
                    return new Follow(job, enqueuedAt, started, created.body().get("id").asText(), created.attempts()).start();
                });
    }

    private HttpRequest<Buffer> request(HttpRequest<Buffer> request) {
        return request.timeout(REQUEST_TIMEOUT_MS)
                .putHeader("Authorization", authorization)
                .putHeader("Accept", JSON_TYPE);
    }

    /** A submitted generation, read until terminal; its only state is what the result needs. */
    private final class Follow {
        private final MotionJob job;
        private final Instant enqueuedAt;
        private final Instant started;
        private final Instant submitted = Instant.now();
        private final String generationId;
        private final int submitAttempts;
        private final Promise<JobResult> result = Promise.promise();

        Follow(MotionJob job, Instant enqueuedAt, Instant started, String generationId, int submitAttempts) {
            this.job = job;
            this.enqueuedAt = enqueuedAt;
            this.started = started;
            this.generationId = generationId;
            this.submitAttempts = submitAttempts;
        }

        Future<JobResult> start() {
            read(0);
            return result.future();
        }

        private void read(int step) {
            exchange(() -> request(web.get(SUBMIT_PATH + "/" + generationId)).send())
                    .onSuccess(answer -> onRead(answer, step))
                    .onFailure(result::tryFail);
        }

        private void onRead(Answer read, int step) {
            if (read.status() != 200) {
                result.complete(failed(job, enqueuedAt, started, generationId, submitAttempts, "FOLLOW_FAILED", read.describe()));
                return;
            }
            String phase = read.body().path("status").asText("").toLowerCase(Locale.ROOT);
            if (!phase.equals("succeeded") && !phase.equals("failed")) {
                after(schedule.delayMillis(step, ThreadLocalRandom.current()), () -> read(step + 1), result);
                return;
            }
            Tokens cost = read.body().hasNonNull("cost") ? Tokens.parse(read.body().get("cost").asText()) : Tokens.ZERO;
            JobStatus outcome = phase.equals("succeeded") ? JobStatus.SUCCEEDED : JobStatus.FAILED;
            String url = read.body().path("output").path("url").asText(null);
            JobResult.Error error = outcome == JobStatus.FAILED
                    ? JobResult.Error.of("GENERATION_FAILED", read.body().path("error").path("message").asText(""), false)
                    : null;
            result.complete(new JobResult(job.jobId(), job.batchId(), job.tenant(), outcome, generationId, url, cost,
                    submitAttempts, error, new JobResult.Timings(enqueuedAt, started, submitted, Instant.now()),
                    job.metadata()));
        }
    }

    private record Answer(int status, JsonNode body, int attempts, String error) {

        static Answer of(HttpResponse<Buffer> response, int attempt) {
            Buffer body = response.body();
            return new Answer(response.statusCode(), body == null || body.length() == 0 ? JSON.nullNode() : readTree(body),
                    attempt, null);
        }

        /** Transient for the baseline too: 429, any 5xx, or no answer at all. */
        boolean transientFailure() {
            return status == -1 || status == 429 || status >= 500;
        }

        String describe() {
            return error != null ? error : "HTTP " + status + ": " + body;
        }
    }

    /** Sends, retrying 429, 5xx and I/O errors up to {@value #MAX_ATTEMPTS} attempts; fails only if Vert.x refuses a timer. */
    private Future<Answer> exchange(Supplier<Future<HttpResponse<Buffer>>> send) {
        Promise<Answer> answer = Promise.promise();
        attempt(send, 1, answer);
        return answer.future();
    }

    private void attempt(Supplier<Future<HttpResponse<Buffer>>> send, int attempt, Promise<Answer> answer) {
        Future<HttpResponse<Buffer>> sent;
        try {
            sent = send.get();
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        sent.onComplete(done -> {
            Answer a = done.succeeded() ? Answer.of(done.result(), attempt)
                    : new Answer(-1, JSON.nullNode(), attempt, String.valueOf(done.cause()));
            if (!a.transientFailure() || attempt == MAX_ATTEMPTS) {
                answer.complete(a);
            } else {
                long wait = Math.max(1, ThreadLocalRandom.current().nextLong(RETRY_WAIT_MS * attempt + 1));
                after(wait, () -> attempt(send, attempt + 1, answer), answer);
            }
        });
    }

    /** Runs {@code next} after {@code millis} on a Vert.x timer, or fails {@code owner} if Vert.x is closed. */
    private void after(long millis, Runnable next, Promise<?> owner) {
        try {
            vertx.setTimer(millis, id -> next.run());
        } catch (RuntimeException e) {
            owner.tryFail(e);
        }
    }

    private static JsonNode readTree(Buffer body) {
        try {
            return JSON.readTree(body.getBytes());
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
