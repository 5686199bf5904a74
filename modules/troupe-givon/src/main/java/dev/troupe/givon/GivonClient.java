package dev.troupe.givon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.ModelSpec;
import dev.troupe.model.MotionJob;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-blocking client of Givon's generation API on the Vert.x HTTP client.
 *
 * <p>{@link #submit} never retries: the caller owns retry policy and budget, and a submission whose
 * outcome is unknown fails with {@link GivonError.Uncertain} so it is not paid twice. {@link #status}
 * reads once; {@link #follow} polls until a terminal status or the deadline; {@link #checkAccess}
 * tells whether Givon accepts the key. Every request ends within {@link GivonConfig#requestTimeout()}.
 * All failures are {@link GivonException}s carrying a {@link GivonError}; every text taken from an
 * answer is redacted and bounded, and the API key never reaches a log line, an exception message,
 * a result or a {@code toString()}. Methods may be called from any thread; futures complete on a
 * Vert.x event loop.
 */
public final class GivonClient implements AutoCloseable {

    /** The generation id {@link #checkAccess} asks about: it cannot name a real generation. */
    public static final String ACCESS_CHECK_ID = "troupe-access-check";

    private static final Logger LOG = LoggerFactory.getLogger(GivonClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_LOGGED_BODY_CHARS = 2_000;

    private final GivonConfig config;
    private final ModelCatalog catalog;
    private final Clock clock;
    private final GivonHttp http;
    private final ErrorClassifier errors;
    private final GivonText text;
    private final ResponseReader reader;
    private final GenerationFollower follower;
    private final Vertx vertx;
    private final RequestRate submissions = new RequestRate();
    private final RequestRate statusReads = new RequestRate();
    private final ExchangeObserver exchanges;

    private GivonClient(Vertx vertx, GivonConfig config, ModelCatalog catalog, Clock clock, RandomGenerator random,
            ExchangeObserver exchanges) {
        this.config = Objects.requireNonNull(config, "config");
        this.exchanges = Objects.requireNonNull(exchanges, "exchanges");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.vertx = vertx;
        this.http = new GivonHttp(vertx, config);
        this.errors = new ErrorClassifier(config, clock);
        this.text = errors.text();
        this.reader = errors.reader();
        this.follower = new GenerationFollower(vertx, this::status, config.pollBackoff(), config.pollStart(), clock,
                Objects.requireNonNull(random, "random"));
    }

    /** A client for the built-in model catalog, the system clock and a shared random source for jitter. */
    public static GivonClient create(Vertx vertx, GivonConfig config) {
        return create(vertx, config, ExchangeObserver.NONE);
    }

    /** As {@link #create(Vertx, GivonConfig)}, telling {@code exchanges} of every request sent and how it ended. */
    public static GivonClient create(Vertx vertx, GivonConfig config, ExchangeObserver exchanges) {
        return new GivonClient(vertx, config, ModelCatalog.builtIn(), Clock.systemUTC(), new Random(), exchanges);
    }

    /** A client with an explicit catalog, clock (deadlines, {@code Retry-After} dates) and jitter source (thread-safe). */
    public static GivonClient create(Vertx vertx, GivonConfig config, ModelCatalog catalog, Clock clock,
            RandomGenerator random) {
        return new GivonClient(vertx, config, catalog, clock, random, ExchangeObserver.NONE);
    }

    public GivonConfig config() {
        return config;
    }

    /** The pace of submissions this client keeps (unlimited until set): the worker's share of the account's rate. */
    public RequestRate submissionRate() {
        return submissions;
    }

    /** The pace of status reads (follow and the access check), as {@link #submissionRate()}. */
    public RequestRate statusReadRate() {
        return statusReads;
    }

    /**
     * Submits one job with {@code Idempotency-Key: <jobId>} ({@code <jobId>#<run>} for a later run). Fails with {@link GivonError.Uncertain}
     * unless the answer proves that nothing was created (see {@link GivonError}): a lost or cut answer,
     * a 5xx (except a 503 with {@code Retry-After}), a 2xx without a usable generation id. Fails with
     * {@link GivonError.Retryable} only when Givon certainly created nothing.
     */
    public Future<Submission> submit(MotionJob job) {
        Optional<ModelSpec> spec = catalog.find(job.model());
        if (spec.isEmpty()) {
            return failed(new GivonError.InvalidRequest(0, "model '" + job.model() + "' of job " + job.jobId()
                    + " is not in the model catalog"));
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", spec.get().type());
        envelope.put("model", job.model());
        envelope.put("input", job.input().fields());
        Buffer body;
        try {
            body = Buffer.buffer(JSON.writeValueAsBytes(envelope));
        } catch (JsonProcessingException e) {
            return failed(new GivonError.InvalidRequest(0, "input of job " + job.jobId() + " cannot be written as JSON: "
                    + e.getOriginalMessage()));
        }
        String url = config.submitUrl();
        MultiMap headers = headers()
                .add(HttpHeaders.CONTENT_TYPE, "application/json")
                .add(IDEMPOTENCY_KEY, job.runKey()); // a later run is a new generation
        return paced(submissions, () -> counted(ExchangeObserver.Kind.SUBMIT,
                        http.exchange(HttpMethod.POST, url, headers, body, config.requestTimeout())))
                .transform(ar -> {
                    if (ar.failed()) {
                        GivonError error = TransportFailure.classify(ar.cause(), false, config.apiKey());
                        LOG.debug("Givon POST {} job={} failed without an answer: {}", url, job.jobId(), error.describe());
                        return failed(error, ar.cause());
                    }
                    log("POST", url, "job=" + job.jobId(), ar.result());
                    try {
                        return readSubmission(ar.result());
                    } catch (RuntimeException e) {
                        // A bug reading an answer must not pass for a refusal: Givon may hold the generation.
                        // (No cause attached: its message might quote the answer.)
                        return failed(new GivonError.Uncertain(ar.result().status(), "the answer could not be read: "
                                + text.message(String.valueOf(e))));
                    }
                });
    }

    /** Reads a generation's status once. Transport failures of this idempotent GET are {@link GivonError.Retryable}. */
    public Future<GenerationStatus> status(String generationId) {
        return status(generationId, null);
    }

    /** As {@link #status(String)}, ending by {@code notAfter} at the latest (null: the request timeout alone). */
    private Future<GenerationStatus> status(String generationId, Instant notAfter) {
        Objects.requireNonNull(generationId, "generationId");
        String url = config.statusUrl(URLEncoder.encode(generationId, StandardCharsets.UTF_8).replace("+", "%20"));
        return paced(statusReads, () -> counted(ExchangeObserver.Kind.STATUS,
                        http.exchange(HttpMethod.GET, url, headers(), null, timeoutUntil(notAfter))))
                .transform(ar -> {
                    if (ar.failed()) {
                        GivonError error = TransportFailure.classify(ar.cause(), true, config.apiKey());
                        LOG.debug("Givon GET {} failed without an answer: {}", url, error.describe());
                        return failed(error, ar.cause());
                    }
                    log("GET", url, "generation=" + generationId, ar.result());
                    try {
                        return readStatus(generationId, ar.result());
                    } catch (RuntimeException e) {
                        return failed(new GivonError.UnexpectedResponse(ar.result().status(), "the answer could not be read: "
                                + text.message(String.valueOf(e))));
                    }
                });
    }

    /**
     * Polls until SUCCEEDED or FAILED (both succeed the future: a FAILED generation is an answer, not an
     * error). Fails with {@link GivonError.DeadlineExceeded} carrying the last known status, or with
     * the first permanent error (401/403/404/4xx). No status read outlives the deadline.
     */
    public Future<GenerationStatus> follow(String generationId, Instant deadline) {
        return follow(generationId, deadline, PollObserver.NONE);
    }

    /** As {@link #follow(String, Instant)}, reporting each status read and each transient error. */
    public Future<GenerationStatus> follow(String generationId, Instant deadline, PollObserver observer) {
        Objects.requireNonNull(generationId, "generationId");
        Objects.requireNonNull(deadline, "deadline");
        return follower.follow(generationId, deadline, Objects.requireNonNull(observer, "observer"));
    }

    /**
     * As {@link #follow(String, Instant, PollObserver)}, on the schedule of {@link GivonConfig#pollStart()}: the
     * first read near the start learned for the generation's model (at once without one), and, when it
     * was {@link AcceptedGeneration#submittedHere() submitted here} and succeeds, what the reads saw
     * teaches that start.
     */
    public Future<GenerationStatus> follow(AcceptedGeneration generation, Instant deadline, PollObserver observer) {
        Objects.requireNonNull(generation, "generation");
        Objects.requireNonNull(deadline, "deadline");
        return follower.follow(generation, deadline, Objects.requireNonNull(observer, "observer"));
    }

    /**
     * The start of a follow learned for {@code model} so far (see {@link PollStart}), within its floor and
     * ceiling (at the floor: a first read at once); empty before one of its generations was seen to
     * succeed, or when the start is not learned. Any thread.
     */
    public Optional<Duration> learnedStart(String model) {
        double nanos = follower.learnedStartNanos(model);
        return Double.isNaN(nanos) ? Optional.empty() : Optional.of(Duration.ofNanos((long) nanos));
    }

    /**
     * One cheap authenticated call that tells whether Givon accepts the key: a GET of the status path
     * for {@value #ACCESS_CHECK_ID}, which names no generation. 401/403 is {@link AccessCheck.Verdict#REFUSED},
     * 404 (or a 2xx) {@link AccessCheck.Verdict#ACCEPTED}, anything else or no answer
     * {@link AccessCheck.Verdict#UNKNOWN}. Never fails; ends within the request timeout.
     */
    public Future<AccessCheck> checkAccess() {
        String url = config.statusUrl(ACCESS_CHECK_ID);
        return paced(statusReads, () -> counted(ExchangeObserver.Kind.PROBE,
                        http.exchange(HttpMethod.GET, url, headers(), null, config.requestTimeout())))
                .map(answer -> {
                    log("GET", url, "access-check", answer);
                    int code = answer.status();
                    String said = errors.message(code, answer.body(), ResponseReader.tree(answer.body()));
                    if (code == 401 || code == 403) {
                        return new AccessCheck(AccessCheck.Verdict.REFUSED, code, said);
                    }
                    if (code == 404 || (code >= 200 && code <= 299)) {
                        return new AccessCheck(AccessCheck.Verdict.ACCEPTED, code, "");
                    }
                    return new AccessCheck(AccessCheck.Verdict.UNKNOWN, code, "Givon answered " + code + ": " + said);
                })
                .otherwise(failure -> new AccessCheck(AccessCheck.Verdict.UNKNOWN, -1,
                        TransportFailure.classify(failure, true, config.apiKey()).describe()));
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "GivonClient[" + config.baseUrl() + "]";
    }

    private MultiMap headers() {
        return MultiMap.caseInsensitiveMultiMap()
                .add(HttpHeaders.AUTHORIZATION, config.apiKey().authorizationHeader())
                .add(HttpHeaders.ACCEPT, "application/json")
                .add(HttpHeaders.USER_AGENT, config.userAgent());
    }

    /** Sends when {@code rate} has a slot: now, or after a timer (the timeout of the request counts from then). */
    private <T> Future<T> paced(RequestRate rate, Supplier<Future<T>> send) {
        Duration wait = rate.take();
        if (wait.isZero()) {
            return send.get();
        }
        Promise<T> sent = Promise.promise();
        vertx.setTimer(GivonHttp.timerMillis(wait), id -> send.get().onComplete(sent));
        return sent.future();
    }

    /** Tells the observer how the exchange ended; its answer is passed on unchanged. */
    private Future<GivonHttp.Answer> counted(ExchangeObserver.Kind kind, Future<GivonHttp.Answer> exchange) {
        return exchange.andThen(ar -> exchanges.exchanged(kind, ar.succeeded()
                ? ExchangeObserver.AnswerClass.of(ar.result().status()) : ExchangeObserver.AnswerClass.ofFailure(ar.cause())));
    }

    private Duration timeoutUntil(Instant notAfter) {
        if (notAfter == null) {
            return config.requestTimeout();
        }
        Duration left = Duration.between(clock.instant(), notAfter);
        return left.compareTo(config.requestTimeout()) < 0 ? left : config.requestTimeout();
    }

    private Future<Submission> readSubmission(GivonHttp.Answer answer) {
        int code = answer.status();
        if (code < 200 || code > 299) {
            return failed(errors.classifySubmission(code, answer.retryAfter(), answer.body()));
        }
        if (answer.truncated()) {
            return failed(new GivonError.Uncertain(code, "Givon answered " + code + " with a body over "
                    + GivonHttp.MAX_BODY_BYTES + " bytes; it was not read to the end"));
        }
        Optional<JsonNode> tree = ResponseReader.tree(answer.body()).filter(JsonNode::isObject);
        Optional<String> id = tree.flatMap(ResponseReader::generationId);
        if (id.isEmpty()) {
            // Givon said yes but we cannot tell to what: a generation may exist and be charged.
            return failed(new GivonError.Uncertain(code, "Givon answered " + code + " without a generation id: "
                    + errors.message(code, answer.body(), Optional.empty())));
        }
        // An id that quotes the key could never be journaled or published: as unusable as a malformed one.
        if (!ResponseReader.isUsableId(id.get()) || text.quotesKey(id.get())) {
            return failed(new GivonError.Uncertain(code, "Givon answered " + code + " with a generation id that cannot"
                    + " be used (at most 128 of A-Z a-z 0-9 . _ : -): '" + text.message(id.get()) + "'"));
        }
        GenerationStatus initial = reader.status(id.get(), tree.get());
        return Future.succeededFuture(new Submission(id.get(), initial, code));
    }

    private Future<GenerationStatus> readStatus(String generationId, GivonHttp.Answer answer) {
        int code = answer.status();
        if (code < 200 || code > 299) {
            return failed(errors.classifyStatusRead(code, answer.retryAfter(), answer.body(), generationId));
        }
        if (answer.truncated()) {
            return failed(new GivonError.Retryable(code, "status answer over " + GivonHttp.MAX_BODY_BYTES
                    + " bytes; it was not read to the end"));
        }
        Optional<JsonNode> tree = ResponseReader.tree(answer.body()).filter(JsonNode::isObject);
        if (tree.isEmpty()) {
            // A proxy's HTML page or a cut answer says nothing about the generation: ask again later.
            return failed(new GivonError.Retryable(code, "status answer is not a JSON object: "
                    + errors.message(code, answer.body(), Optional.empty())));
        }
        return Future.succeededFuture(reader.status(generationId, tree.get()));
    }

    private void log(String method, String url, String subject, GivonHttp.Answer answer) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("Givon {} {} {} -> {} Retry-After={} body={}", method, url, subject, answer.status(),
                    text.message(answer.retryAfter()), text.bounded(answer.body(), MAX_LOGGED_BODY_CHARS));
        }
    }

    private static <T> Future<T> failed(GivonError error) {
        return Future.failedFuture(new GivonException(error));
    }

    private static <T> Future<T> failed(GivonError error, Throwable cause) {
        return Future.failedFuture(new GivonException(error, cause));
    }
}
