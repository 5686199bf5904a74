package dev.troupe.givon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.ModelSpec;
import dev.troupe.model.MotionJob;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-blocking client of Givon's generation API on the Vert.x Web Client.
 *
 * <p>{@link #submit} never retries: the caller owns retry policy and budget, and a submission whose
 * outcome is unknown fails with {@link GivonError.Uncertain} so it is not paid twice. {@link #status}
 * reads once; {@link #follow} polls until a terminal status or the deadline. All failures are
 * {@link GivonException}s carrying a {@link GivonError}. The API key never reaches a log line, an
 * exception message or a {@code toString()}.
 */
public final class GivonClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GivonClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_LOGGED_BODY_CHARS = 2_000;

    private final GivonConfig config;
    private final ModelCatalog catalog;
    private final WebClient web;
    private final ErrorClassifier errors;
    private final GenerationFollower follower;

    private GivonClient(Vertx vertx, GivonConfig config, ModelCatalog catalog, Clock clock, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(clock, "clock");
        WebClientOptions options = new WebClientOptions()
                .setUserAgent(config.userAgent())
                .setConnectTimeout(Math.toIntExact(config.connectTimeout().toMillis()))
                // Redirects are not part of the assumed API; a 3xx is reported, not silently replayed.
                .setFollowRedirects(false);
        this.web = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(config.maxPoolSize()));
        this.errors = new ErrorClassifier(config.apiKey(), clock, config.defaultRetryAfter());
        this.follower = new GenerationFollower(vertx, this::status, config.pollBackoff(), clock,
                Objects.requireNonNull(random, "random"));
    }

    /** A client for the built-in model catalog, the system clock and a shared random source for jitter. */
    public static GivonClient create(Vertx vertx, GivonConfig config) {
        return create(vertx, config, ModelCatalog.builtIn(), Clock.systemUTC(), new Random());
    }

    /** A client with an explicit catalog, clock (deadlines, {@code Retry-After} dates) and jitter source (thread-safe). */
    public static GivonClient create(Vertx vertx, GivonConfig config, ModelCatalog catalog, Clock clock,
            RandomGenerator random) {
        return new GivonClient(vertx, config, catalog, clock, random);
    }

    public GivonConfig config() {
        return config;
    }

    /**
     * Submits one job with {@code Idempotency-Key: <jobId>}. Fails with {@link GivonError.Uncertain}
     * when the request may have reached Givon without a usable answer (response timeout, connection
     * lost after writing, or a 2xx without an id), and with {@link GivonError.Retryable} only when it
     * certainly did not.
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
        return request(HttpMethod.POST, url)
                .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
                .putHeader(IDEMPOTENCY_KEY, job.jobId())
                .sendBuffer(body)
                .transform(ar -> {
                    if (ar.failed()) {
                        GivonError error = TransportFailure.classify(ar.cause(), false, config.apiKey());
                        LOG.debug("Givon POST {} job={} failed without an answer: {}", url, job.jobId(), error.describe());
                        return failed(error, ar.cause());
                    }
                    log("POST", url, "job=" + job.jobId(), ar.result());
                    return readSubmission(ar.result());
                });
    }

    /** Reads a generation's status once. Transport failures of this idempotent GET are {@link GivonError.Retryable}. */
    public Future<GenerationStatus> status(String generationId) {
        Objects.requireNonNull(generationId, "generationId");
        String url = config.statusUrl(URLEncoder.encode(generationId, StandardCharsets.UTF_8).replace("+", "%20"));
        return request(HttpMethod.GET, url)
                .send()
                .transform(ar -> {
                    if (ar.failed()) {
                        GivonError error = TransportFailure.classify(ar.cause(), true, config.apiKey());
                        LOG.debug("Givon GET {} failed without an answer: {}", url, error.describe());
                        return failed(error, ar.cause());
                    }
                    log("GET", url, "generation=" + generationId, ar.result());
                    return readStatus(generationId, ar.result());
                });
    }

    /**
     * Polls until SUCCEEDED or FAILED (both succeed the future: a FAILED generation is an answer, not an
     * error). Fails with {@link GivonError.DeadlineExceeded} carrying the last known status, or with
     * the first permanent error (401/403/404/4xx).
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

    @Override
    public void close() {
        web.close();
    }

    @Override
    public String toString() {
        return "GivonClient[" + config.baseUrl() + "]";
    }

    private HttpRequest<Buffer> request(HttpMethod method, String url) {
        return web.requestAbs(method, url)
                .putHeader(HttpHeaders.AUTHORIZATION.toString(), config.apiKey().authorizationHeader())
                .putHeader(HttpHeaders.ACCEPT.toString(), "application/json")
                .connectTimeout(config.connectTimeout().toMillis())
                .idleTimeout(config.responseTimeout().toMillis());
    }

    private Future<Submission> readSubmission(HttpResponse<Buffer> response) {
        int code = response.statusCode();
        if (code < 200 || code > 299) {
            return failed(errors.classify(code, response.getHeader("Retry-After"), response.bodyAsString(), null));
        }
        Optional<JsonNode> tree = ResponseReader.tree(response.bodyAsString());
        Optional<String> id = tree.flatMap(ResponseReader::generationId);
        if (id.isEmpty()) {
            // Givon said yes but we cannot tell to what: a generation may exist and be charged.
            return failed(new GivonError.Uncertain("Givon answered " + code + " without a generation id: "
                    + errors.message(code, response.bodyAsString(), Optional.empty())));
        }
        GenerationStatus initial = ResponseReader.status(id.get(), tree.get());
        return Future.succeededFuture(new Submission(id.get(), initial, code));
    }

    private Future<GenerationStatus> readStatus(String generationId, HttpResponse<Buffer> response) {
        int code = response.statusCode();
        if (code < 200 || code > 299) {
            return failed(errors.classify(code, response.getHeader("Retry-After"), response.bodyAsString(), generationId));
        }
        Optional<JsonNode> tree = ResponseReader.tree(response.bodyAsString()).filter(JsonNode::isObject);
        if (tree.isEmpty()) {
            return failed(new GivonError.UnexpectedResponse(code, "status answer is not a JSON object: "
                    + errors.message(code, response.bodyAsString(), Optional.empty())));
        }
        return Future.succeededFuture(ResponseReader.status(generationId, tree.get()));
    }

    private void log(String method, String url, String subject, HttpResponse<Buffer> response) {
        if (LOG.isDebugEnabled()) {
            String body = response.bodyAsString();
            body = body == null ? "" : config.apiKey().redact(body);
            if (body.length() > MAX_LOGGED_BODY_CHARS) {
                body = body.substring(0, MAX_LOGGED_BODY_CHARS) + "…";
            }
            LOG.debug("Givon {} {} {} -> {} Retry-After={} body={}", method, url, subject, response.statusCode(),
                    response.getHeader("Retry-After"), body);
        }
    }

    private static <T> Future<T> failed(GivonError error) {
        return Future.failedFuture(new GivonException(error));
    }

    private static <T> Future<T> failed(GivonError error, Throwable cause) {
        return Future.failedFuture(new GivonException(error, cause));
    }
}
