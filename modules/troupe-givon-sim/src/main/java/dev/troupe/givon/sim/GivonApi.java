package dev.troupe.givon.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's HTTP surface: Givon's generation API plus {@code /sim/stats} and the fake video
 * files. Runs on one event loop and never blocks: every decision is an in-memory lookup.
 */
final class GivonApi implements Handler<HttpServerRequest> {

    static final String GENERATIONS = "/api/v1/generations";
    private static final Pattern GENERATION = Pattern.compile("/api/v1/generations/([A-Za-z0-9_-]{1,128})");
    private static final Pattern VIDEO = Pattern.compile("/sim/videos/([A-Za-z0-9_-]{1,128})\\.mp4");
    /** The 24-byte {@code ftyp} box that opens an ISO-BMFF (mp4) file: enough for a content sniffer. */
    private static final byte[] MP4 = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
            'i', 's', 'o', 'm', 'm', 'p', '4', '1'};

    private final Vertx vertx;
    private final SimulatedGivon givon;
    private final SimulatorLedger ledger;
    private final SubmissionReader reader;
    private final ReplyWriter writer;
    private final Map<String, String> labels = new HashMap<>();
    private final Set<String> forbidden;
    private final AtomicReference<ScriptedAnswers> script = new AtomicReference<>(ScriptedAnswers.NONE);
    /** Only the simulator's event loop counts requests. */
    private long sequence;

    GivonApi(Vertx vertx, SimulatorConfig config, SimulatedGivon givon, SimulatorLedger ledger, ObjectMapper json,
            ReplyWriter writer) {
        this.vertx = vertx;
        this.givon = givon;
        this.ledger = ledger;
        this.reader = new SubmissionReader(json, config.catalog(), config.validationLimits());
        this.writer = writer;
        this.forbidden = config.forbiddenKeys();
        config.apiKeys().forEach(key -> labels.put(key, ApiKeyLabel.of(key)));
    }

    /** Installs a test's script (null: none); it applies from the next request on. */
    void script(ScriptedAnswers answers) {
        script.set(answers == null ? ScriptedAnswers.NONE : answers);
    }

    @Override
    public void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.startsWith("/api/")) {
            if (request.method() == HttpMethod.POST) {
                request.body().onSuccess(body -> api(request, body));
            } else {
                api(request, null);
            }
            return;
        }
        Matcher video = VIDEO.matcher(path);
        boolean get = request.method() == HttpMethod.GET;
        if (get && video.matches()) {
            video(request, video.group(1));
        } else if (get && path.equals("/sim/stats")) {
            send(request, new Reply(200, "application/json", Map.of(),
                    LedgerSnapshotJson.write(ledger.snapshot()).getBytes(StandardCharsets.UTF_8)));
        } else {
            send(request, writer.error(404, "not_found", "No such page: " + path));
        }
    }

    /** A request of the generation API; {@code body} is null for methods without one. */
    private void api(HttpServerRequest request, Buffer body) {
        String path = request.path();
        boolean get = request.method() == HttpMethod.GET;
        boolean post = request.method() == HttpMethod.POST;
        Matcher generation = GENERATION.matcher(path);
        String generationId = get && generation.matches() ? generation.group(1) : null;
        String idempotencyKey = post && path.equals(GENERATIONS) ? request.getHeader("Idempotency-Key") : null;
        ApiRequest seen = new ApiRequest(++sequence, request.method().name(), path, generationId, idempotencyKey);
        Optional<ScriptedAnswer> scripted;
        try {
            scripted = script.get().answer(seen);
        } catch (RuntimeException e) {
            // A broken script must fail the test visibly, not leave a request hanging.
            answerApi(request, writer.error(500, "script_failed", "the test's scripted answer failed: " + e));
            return;
        }
        if (scripted.isPresent()) {
            scripted(request, seen, body, scripted.get());
        } else if (path.equals(GENERATIONS)) {
            if (post) {
                submit(request, body);
            } else {
                answerApi(request, writer.error(405, "method_not_allowed", "Use POST on " + GENERATIONS));
            }
        } else if (generationId != null) {
            status(request, generationId);
        } else {
            answerApi(request, writer.error(404, "not_found", "No such endpoint: " + request.method() + " " + path));
        }
    }

    private void scripted(HttpServerRequest request, ApiRequest seen, Buffer body, ScriptedAnswer answer) {
        String generationId = seen.generationId();
        if (answer.createFirst() && seen.isSubmission()) {
            String label = authenticate(request);
            if (label == null) {
                return;
            }
            Optional<Submission.Valid> valid = readValid(request, body);
            if (valid.isEmpty()) {
                return;
            }
            generationId = givon.createScripted(label, seen.idempotencyKey(), valid.get()).id();
        }
        ledger.recordResponse(answer.status());
        HttpServerResponse response = request.response().setStatusCode(answer.status());
        answer.headers().forEach(response::putHeader);
        byte[] bytes = answer.bodyFor(generationId);
        if (answer.trickle().isEmpty()) {
            response.end(Buffer.buffer(bytes));
        } else {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(bytes.length));
            trickle(response, bytes, 0, answer.trickle().get());
        }
    }

    /** Writes the next few bytes, then waits on a timer (never blocks); stops when the client has gone. */
    private void trickle(HttpServerResponse response, byte[] bytes, int offset, ScriptedAnswer.Trickle trickle) {
        if (response.closed() || response.ended()) {
            return;
        }
        int end = Math.min(bytes.length, offset + trickle.bytes());
        Buffer chunk = Buffer.buffer().appendBytes(bytes, offset, end - offset);
        if (end == bytes.length) {
            response.end(chunk);
            return;
        }
        response.write(chunk);
        vertx.setTimer(Math.max(1, trickle.every().toMillis()), id -> trickle(response, bytes, end, trickle));
    }

    private void submit(HttpServerRequest request, Buffer body) {
        String label = authenticate(request);
        if (label == null) {
            return;
        }
        Optional<Submission.Valid> valid = readValid(request, body);
        if (valid.isPresent()) {
            answerSubmit(request, givon.submit(label, request.getHeader("Idempotency-Key"), valid.get()));
        }
    }

    /** The submission if it is one Givon would accept; otherwise answers 415, 400 or 422 and returns empty. */
    private Optional<Submission.Valid> readValid(HttpServerRequest request, Buffer body) {
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            answerApi(request, writer.error(415, "unsupported_media_type", "Content-Type must be application/json"));
            return Optional.empty();
        }
        Submission submission = reader.read(body.getBytes());
        if (submission instanceof Submission.Unreadable unreadable) {
            answerApi(request, writer.error(400, "invalid_json", unreadable.message()));
        } else if (submission instanceof Submission.Invalid invalid) {
            answerApi(request, writer.invalid(invalid.violations()));
        } else if (submission instanceof Submission.Valid valid) {
            return Optional.of(valid);
        } else {
            throw new IllegalStateException("unhandled submission " + submission);
        }
        return Optional.empty();
    }

    private void answerSubmit(HttpServerRequest request, SubmitOutcome outcome) {
        Dialect dialect = givon.faults().dialect();
        if (outcome instanceof SubmitOutcome.ServerFault fault) {
            answerApi(request, writer.serverFault(fault.status(), fault.retryAfter(), fault.format()));
        } else if (outcome instanceof SubmitOutcome.Throttled throttled) {
            answerApi(request, writer.throttled(throttled));
        } else if (outcome instanceof SubmitOutcome.OutOfCredits credits) {
            answerApi(request, writer.error(402, "insufficient_credits", "Not enough tokens: this generation costs "
                    + credits.cost() + " tokens and the account has " + credits.left() + " left"));
        } else if (outcome instanceof SubmitOutcome.Accepted accepted) {
            answerApi(request, writer.created(accepted.generation(), accepted.phase(), accepted.replay(), dialect));
        } else if (!(outcome instanceof SubmitOutcome.Unanswered)) {
            throw new IllegalStateException("unhandled submit outcome " + outcome);
        }
        // Unanswered: deliberately silent, the client sees a request that never ends.
    }

    private void status(HttpServerRequest request, String id) {
        String label = authenticate(request);
        if (label == null) {
            return;
        }
        StatusOutcome outcome = givon.status(label, id);
        if (outcome instanceof StatusOutcome.ServerFault fault) {
            answerApi(request, writer.serverFault(fault.status()));
        } else if (outcome instanceof StatusOutcome.Garbled) {
            answerApi(request, writer.garbled());
        } else if (outcome instanceof StatusOutcome.NotFound) {
            answerApi(request, writer.error(404, "not_found", "No generation " + id));
        } else if (outcome instanceof StatusOutcome.Found found) {
            answerApi(request, writer.generation(found, videoUrl(request, id), givon.faults().dialect()));
        } else {
            throw new IllegalStateException("unhandled status outcome " + outcome);
        }
    }

    private void video(HttpServerRequest request, String id) {
        if (givon.succeeded(id).isPresent()) {
            send(request, new Reply(200, "video/mp4", Map.of(), MP4));
        } else {
            send(request, writer.error(404, "not_found", "No video for " + id));
        }
    }

    /** The caller's key label, or null after answering 401/403. */
    private String authenticate(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String key = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (key != null && forbidden.contains(key)) {
            answerApi(request, writer.error(403, "forbidden", "This API key may not use the generation API"));
            return null;
        }
        String label = key == null ? null : labels.get(key);
        if (label == null) {
            answerApi(request, writer.error(401, "unauthorized", header == null
                    ? "Missing Authorization: Bearer <api key>"
                    : "Invalid API key"));
        }
        return label;
    }

    private String videoUrl(HttpServerRequest request, String id) {
        // The caller's own view of our address, so the URL also works behind a port mapping.
        HostAndPort authority = request.authority();
        String hostAndPort = authority != null
                ? authority.toString()
                : request.localAddress().hostAddress() + ":" + request.localAddress().port();
        return "http://" + hostAndPort + "/sim/videos/" + id + ".mp4";
    }

    private void answerApi(HttpServerRequest request, Reply reply) {
        ledger.recordResponse(reply.status());
        send(request, reply);
    }

    private static void send(HttpServerRequest request, Reply reply) {
        var response = request.response().setStatusCode(reply.status());
        response.putHeader(HttpHeaders.CONTENT_TYPE, reply.contentType());
        reply.headers().forEach(response::putHeader);
        response.end(Buffer.buffer(reply.body()));
    }
}
