package dev.troupe.givon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.troupe.givon.GenerationStatus.Phase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Over generated Givon answers (any status 100..599, Retry-After in every form, bodies that are
 * empty, HTML, truncated, deep, huge, invalid UTF-8, JSON with hostile ids, numbers, codes and
 * texts), served by a bare loopback server that may also break HTTP itself: every call ends in a
 * classified outcome (a value, or a GivonException with a GivonError), nothing else escapes, no
 * outcome text holds the API key, the classification never calls an answer that may have created a
 * generation anything but Uncertain, and no event loop is blocked (a blocked-thread checker at 1 s
 * watches every try; the testkit's guard is a JUnit Jupiter extension, which jqwik does not run).
 */
class GivonAnswersPropertiesTest {

    private static final String KEY = "sk-troupe-properties-5f6e7d8c";
    private static final Duration FOLLOW_FOR = Duration.ofMillis(150);
    private static final int MAX_OUTCOME_CHARS = 4_000;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private static Vertx vertx;
    private static NetServer server;
    private static GivonClient client;
    private static final AtomicReference<Answer> current = new AtomicReference<>();
    private static final List<String> blocked = new CopyOnWriteArrayList<>();

    /** How the answer reaches the client. */
    enum Framing {
        /** Content-Length, then the connection is closed. */
        LENGTH,
        /** No length: the body ends when the connection does. */
        CLOSE_DELIMITED,
        /** A Content-Length larger than the body, then the connection closes: a cut answer. */
        SHORT_BODY,
        /** No HTTP at all: the body bytes alone. */
        NOT_HTTP
    }

    enum Call { SUBMIT, STATUS, FOLLOW, ACCESS_CHECK }

    record Answer(int status, String retryAfter, String contentType, byte[] body, Framing framing) {
        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return "Answer[" + status + ", Retry-After=" + clip(retryAfter) + ", " + contentType + ", " + framing + ", "
                    + body.length + " bytes: " + clip(text) + "]";
        }

        private static String clip(String text) {
            String shown = text == null || text.length() < 300 ? text : text.substring(0, 300) + "…";
            return shown == null ? null : shown.replace(KEY, "<KEY>");
        }

        boolean hasRetryAfter() {
            return retryAfter != null && !retryAfter.isBlank();
        }
    }

    @BeforeContainer
    static void start() throws Exception {
        vertx = Vertx.vertx(new VertxOptions()
                .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setMaxEventLoopExecuteTime(1_000).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
        // Vert.x 5's only hook for blocked-thread reports (internal API), as in the testkit's GuardedVertx.
        ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(event -> blocked.add(
                event.thread().getName() + " blocked for " + TimeUnit.NANOSECONDS.toMillis(event.duration()) + " ms"));
        server = vertx.createNetServer().connectHandler(GivonAnswersPropertiesTest::serve);
        await(server.listen(0, "127.0.0.1"));
        client = TestClients.client(vertx, "http://127.0.0.1:" + server.actualPort(), KEY, 8, b -> b
                .connectTimeout(Duration.ofSeconds(1))
                .responseTimeout(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(2))
                .pollBackoff(new PollBackoff(Duration.ofMillis(5), Duration.ofMillis(20), 2.0)));
    }

    @AfterContainer
    static void stop() throws Exception {
        client.close();
        await(server.close());
        await(vertx.close());
        assertThat(blocked).as("blocked event loops outside the tries").isEmpty();
    }

    // ---- the properties -------------------------------------------------------------------------

    @Property(tries = 250)
    void everySubmissionEndsClassifiedAndOnlyRefusalsAreCertain(@ForAll("answers") Answer answer) {
        Outcome outcome = run(answer, Call.SUBMIT);

        int status = answer.framing() == Framing.NOT_HTTP ? -1 : answer.status();
        if (outcome.value() != null) {
            assertThat(status).as("only a 2xx can accept").isBetween(200, 299);
            Submission submission = (Submission) outcome.value();
            assertThat(ResponseReader.isUsableId(submission.generationId())).isTrue();
            assertBounded(submission.initial());
            return;
        }
        GivonError error = outcome.error();
        boolean clientError = status >= 400 && status <= 499;
        boolean refusing503 = status == 503 && answer.hasRetryAfter() && answer.framing() != Framing.SHORT_BODY;
        if (!clientError && !refusing503) {
            // A 5xx, 1xx, 2xx, 3xx or broken answer may come after Givon created the generation.
            assertThat(error).as("%s", answer).isInstanceOf(GivonError.Uncertain.class);
        }
        if (error instanceof GivonError.Retryable retryable) {
            assertThat(retryable.httpStatus()).as("%s", answer).isIn(-1, 503);
        }
    }

    @Property(tries = 200)
    void everyStatusReadEndsClassifiedAndIsNeverUncertain(@ForAll("answers") Answer answer) {
        Outcome outcome = run(answer, Call.STATUS);

        if (outcome.value() != null) {
            assertThat(answer.status()).isBetween(200, 299);
            assertBounded((GenerationStatus) outcome.value());
            return;
        }
        assertThat(outcome.error()).as("%s", answer).isNotInstanceOf(GivonError.Uncertain.class)
                .isNotInstanceOf(GivonError.DeadlineExceeded.class);
        if (outcome.error() instanceof GivonError.NotFound) {
            assertThat(answer.status()).isEqualTo(404);
        }
    }

    @Property(tries = 40)
    void everyFollowEndsTerminalOrWithAFinalError(@ForAll("answers") Answer answer) {
        Outcome outcome = run(answer, Call.FOLLOW);

        if (outcome.value() != null) {
            GenerationStatus status = (GenerationStatus) outcome.value();
            assertThat(status.phase()).isNotEqualTo(Phase.RUNNING);
            assertBounded(status);
            return;
        }
        assertThat(outcome.error().isTransient()).as("a follow retries transient errors itself: %s", answer).isFalse();
        assertThat(outcome.error()).isNotInstanceOf(GivonError.Uncertain.class);
    }

    @Property(tries = 60)
    void everyAccessCheckEndsWithAVerdictThatFitsTheStatus(@ForAll("answers") Answer answer) {
        Outcome outcome = run(answer, Call.ACCESS_CHECK);

        assertThat(outcome.error()).as("checkAccess never fails").isNull();
        AccessCheck check = (AccessCheck) outcome.value();
        switch (check.verdict()) {
            case REFUSED -> assertThat(answer.status()).isIn(401, 403);
            case ACCEPTED -> assertThat(answer.status() == 404 || (answer.status() >= 200 && answer.status() <= 299)).isTrue();
            case UNKNOWN -> assertThat(check.detail()).isNotBlank();
        }
    }

    // ---- running one call against one answer ------------------------------------------------------

    /** A call's outcome: exactly one of a value and a Givon error. */
    record Outcome(Object value, GivonError error) {
    }

    private static Outcome run(Answer answer, Call call) {
        current.set(answer);
        int blockedBefore = blocked.size();
        Future<?> future = switch (call) {
            case SUBMIT -> client.submit(TestJobs.job("job-property-1"));
            case STATUS -> client.status("gen_1");
            case FOLLOW -> client.follow("gen_1", Instant.now().plus(FOLLOW_FOR));
            case ACCESS_CHECK -> client.checkAccess();
        };
        Outcome outcome;
        try {
            Object value = future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertThat(value).isNotNull();
            assertNoSecret(String.valueOf(value));
            if (value instanceof AccessCheck check) {
                assertNoSecret(check.describe());
            }
            outcome = new Outcome(value, null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof GivonException givon)) {
                throw new AssertionError(call + " ended with " + cause + " for " + answer, cause);
            }
            GivonError error = givon.error();
            for (String text : List.of(givon.getMessage(), givon.toString(), error.toString(), error.describe())) {
                assertNoSecret(text);
                assertThat(text.length()).as("outcome text of %s", answer).isLessThan(MAX_OUTCOME_CHARS);
            }
            if (error instanceof GivonError.RateLimited limited) {
                assertThat(limited.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofMinutes(5));
            }
            outcome = new Outcome(null, error);
        } catch (TimeoutException e) {
            throw new AssertionError(call + " did not end within 20 s for " + answer, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertThat(blocked.subList(blockedBefore, blocked.size())).as("event loop blocked by %s", answer).isEmpty();
        return outcome;
    }

    private static void assertBounded(GenerationStatus status) {
        assertNoSecret(status.toString());
        if (status.failureReason() != null) {
            assertThat(status.failureReason().length()).isLessThanOrEqualTo(GivonText.MAX_FAILURE_REASON_CHARS + 1);
        }
        if (status.rawStatus() != null) {
            assertThat(status.rawStatus().length()).isLessThanOrEqualTo(GivonText.MAX_STATUS_WORD_CHARS + 1);
        }
        if (status.videoUrl() != null) {
            assertThat(status.videoUrl().toLowerCase(Locale.ROOT)).startsWith("http");
            assertThat(status.videoUrl()).hasSizeLessThanOrEqualTo(GivonText.MAX_VIDEO_URL_CHARS);
        }
        status.reportedCost().ifPresent(cost -> assertThat(cost.isNegative() || cost.exceeds(ResponseReader.MAX_REPORTED_COST))
                .as("cost %s", cost).isFalse());
    }

    private static void assertNoSecret(String text) {
        if (text != null && text.contains(KEY)) {
            fail("the API key leaked into: " + text.replace(KEY, "<KEY>"));
        }
    }

    // ---- the loopback "Givon" -----------------------------------------------------------------------

    /** Reads one request (head, then Content-Length bytes), writes the current answer, closes. */
    private static void serve(NetSocket socket) {
        Buffer received = Buffer.buffer();
        socket.handler(chunk -> {
            received.appendBuffer(chunk);
            String text = received.toString(StandardCharsets.ISO_8859_1);
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd < 0) {
                return;
            }
            int length = 0;
            for (String line : text.substring(0, headEnd).split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            if (received.length() >= headEnd + 4 + length) {
                socket.handler(null);
                socket.write(render(current.get())).onComplete(ignored -> socket.close());
            }
        });
    }

    private static Buffer render(Answer answer) {
        if (answer.framing() == Framing.NOT_HTTP) {
            return Buffer.buffer(answer.body());
        }
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(answer.status()).append(" Whatever\r\n");
        head.append("Connection: close\r\n");
        if (answer.contentType() != null) {
            head.append("Content-Type: ").append(answer.contentType()).append("\r\n");
        }
        if (answer.retryAfter() != null) {
            head.append("Retry-After: ").append(answer.retryAfter()).append("\r\n");
        }
        switch (answer.framing()) {
            case LENGTH -> head.append("Content-Length: ").append(answer.body().length).append("\r\n");
            case SHORT_BODY -> head.append("Content-Length: ").append(answer.body().length + 10).append("\r\n");
            case CLOSE_DELIMITED, NOT_HTTP -> { }
        }
        head.append("\r\n");
        return Buffer.buffer(head.toString().getBytes(StandardCharsets.ISO_8859_1)).appendBytes(answer.body());
    }

    // ---- generators -----------------------------------------------------------------------------------

    @Provide
    Arbitrary<Answer> answers() {
        Arbitrary<Integer> status = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(200, 201, 202, 204, 400, 401, 402, 403, 404, 408, 409, 415, 422, 429, 500, 502,
                        503, 504)),
                Tuple.of(2, Arbitraries.integers().between(100, 599)));
        Arbitrary<String> contentType = Arbitraries.of("application/json", "text/html; charset=utf-8", "text/plain",
                "application/octet-stream").injectNull(0.2);
        Arbitrary<Framing> framing = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(Framing.LENGTH)),
                Tuple.of(2, Arbitraries.just(Framing.CLOSE_DELIMITED)), Tuple.of(1, Arbitraries.just(Framing.SHORT_BODY)),
                Tuple.of(1, Arbitraries.just(Framing.NOT_HTTP)));
        return Combinators.combine(status, retryAfters(), contentType, bodies(), framing).as(Answer::new);
    }

    private static Arbitrary<String> retryAfters() {
        Instant now = Instant.now();
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just((String) null)),
                Tuple.of(2, Arbitraries.of("0", "1", "7", "-1", "-30", "1.5", "", " ", "soon", "0x10", "1e3")),
                Tuple.of(2, Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(30)),
                Tuple.of(1, Arbitraries.of("9223372036854775807", "9223372036854775808", "99999999999999999")),
                Tuple.of(2, Arbitraries.longs().between(-100L * 365 * 86_400, 100L * 365 * 86_400)
                        .map(seconds -> HTTP_DATE.format(now.plusSeconds(seconds)))),
                Tuple.of(1, Arbitraries.of("Fri, 31 Dec 9999 23:59:59 GMT", "Thu, 01 Jan 1970 00:00:00 GMT",
                        "Mon, 32 Foo 2025 25:61:61 GMT")),
                Tuple.of(1, Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(5_000)));
    }

    private static Arbitrary<byte[]> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, jsonObjects().map(GivonAnswersPropertiesTest::utf8)),
                Tuple.of(1, Arbitraries.just(new byte[0])),
                Tuple.of(1, Arbitraries.of("<html><body><h1>502 Bad Gateway</h1></body></html>",
                        "<!DOCTYPE html><p>Bearer " + KEY + "</p>", "fine, thanks", "null", "[]", "\"a string\"", "42")
                        .map(GivonAnswersPropertiesTest::utf8)),
                Tuple.of(2, Combinators.combine(jsonObjects(), Arbitraries.doubles().between(0, 1))
                        .as((json, cut) -> json.substring(0, (int) (json.length() * cut))).map(GivonAnswersPropertiesTest::utf8)),
                Tuple.of(1, Arbitraries.integers().between(400, 5_000).map(depth -> utf8("[".repeat(depth) + "]".repeat(depth)))),
                Tuple.of(1, Arbitraries.integers().between(400, 3_000)
                        .map(depth -> utf8("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000)),
                Tuple.of(1, Arbitraries.integers().between(100_000, 1_500_000)
                        .map(size -> utf8("{\"id\":\"gen_big\",\"status\":\"failed\",\"failureReason\":\"Bearer " + KEY + " "
                                + "r".repeat(size) + "\"}"))),
                Tuple.of(1, Arbitraries.integers().between(900, 5_000)
                        .map(digits -> utf8("{\"id\":\"gen_n\",\"status\":\"done\",\"cost\":" + "9".repeat(digits) + "}"))));
    }

    /** A JSON object with any of the fields Givon's answers are read for, each hostile or not. */
    private static Arbitrary<String> jsonObjects() {
        Arbitrary<String> idField = Combinators.combine(Arbitraries.of("id", "generationId", "data.id"), ids())
                .as(GivonAnswersPropertiesTest::field);
        Arbitrary<String> statusField = statusWords().map(word -> field("status", word));
        Arbitrary<String> costField = Combinators.combine(Arbitraries.of("cost", "credits", "data.cost"), costs())
                .as(GivonAnswersPropertiesTest::field);
        Arbitrary<String> codeField = Combinators.combine(Arbitraries.of("code", "error.code", "error_code", "data.code"),
                Arbitraries.of("1101", "1102", "1303", "\"1101\"", "\"1102\"", "\"1303\"", "\"rate_limited\"", "0",
                        "\"" + "9".repeat(100) + "\"", "{\"x\":1}", "null")).as(GivonAnswersPropertiesTest::field);
        Arbitrary<String> messageField = Combinators.combine(Arbitraries.of("message", "error.message", "error",
                "failureReason", "detail"), texts()).as(GivonAnswersPropertiesTest::field);
        Arbitrary<String> urlField = Combinators.combine(Arbitraries.of("videoUrl", "output.url", "url", "output"), urls())
                .as(GivonAnswersPropertiesTest::field);
        Arbitrary<String> violationsField = Combinators.combine(Arbitraries.of("violations", "errors", "error.violations"),
                texts().list().ofMaxSize(60).map(list -> "[" + String.join(",", list) + "]"))
                .as(GivonAnswersPropertiesTest::field);
        return Combinators.combine(idField.injectNull(0.2), statusField.injectNull(0.2), costField.injectNull(0.4),
                        codeField.injectNull(0.6), messageField.injectNull(0.4), urlField.injectNull(0.5),
                        violationsField.injectNull(0.7))
                .as((a, b, c, d, e, f, g) -> "{" + Stream.of(a, b, c, d, e, f, g).filter(s -> s != null)
                        .collect(Collectors.joining(",")) + "}");
    }

    /** {@code "a.b": v} as nested objects: {@code "a":{"b":v}}. */
    private static String field(String path, String rawValue) {
        String[] names = path.split("\\.");
        String json = rawValue;
        for (int i = names.length - 1; i > 0; i--) {
            json = "{" + quote(names[i]) + ":" + json + "}";
        }
        return quote(names[0]) + ":" + json;
    }

    private static Arbitrary<String> ids() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcXYZ019._:-").ofMinLength(1).ofMaxLength(140).map(GivonAnswersPropertiesTest::quote),
                Arbitraries.strings().ofMinLength(0).ofMaxLength(200).map(GivonAnswersPropertiesTest::quote),
                Arbitraries.of("gen_1_44izyv7n", "gen 1", "gen/../x", KEY, "Bearer " + KEY, "").map(GivonAnswersPropertiesTest::quote),
                Arbitraries.of("7", "-1", "0", "1" + "0".repeat(300), "1.5", "null", "true", "{\"weird\":1}", "[\"gen_1\"]"));
    }

    private static Arbitrary<String> statusWords() {
        return Arbitraries.oneOf(
                Arbitraries.of("queued", "processing", "succeeded", "COMPLETED", "done", "failed", "ERROR", "cancelled",
                        "moderated", "warming_up", "", KEY).map(GivonAnswersPropertiesTest::quote),
                Arbitraries.strings().ofMaxLength(100).map(GivonAnswersPropertiesTest::quote),
                Arbitraries.integers().between(1, 3).map(n -> quote("succeeded".repeat(n * 50))),
                Arbitraries.of("1", "null", "{}", "[]"));
    }

    private static Arbitrary<String> costs() {
        return Arbitraries.oneOf(
                Arbitraries.of("21", "0", "-5", "5.5", "0.001", "0.0001", "1000000", "1000000.001", "2000000",
                        "1e1000000", "-1e1000000", "1e-1000000", "1E+999999999", "9223372036854775807",
                        "92233720368547758070", "-0", "\"6.4\"", "\"n/a\"", "\"1e1000000\"", "\"\"", "null", "true", "{}"),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.bigDecimals().ofScale(5).map(d -> d.toString()),
                Arbitraries.integers().between(1, 999_999_999).map(e -> "1e" + e));
    }

    private static Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300).map(GivonAnswersPropertiesTest::quote),
                Arbitraries.of("reference photo resolution is insufficient", "Insufficient credits", "Bearer " + KEY,
                        "Authorization: Bearer " + KEY + " was rejected", "line\nERROR forged", KEY + KEY)
                        .map(GivonAnswersPropertiesTest::quote),
                Arbitraries.integers().between(1_000, 200_000).map(n -> quote(KEY + " " + "x".repeat(n))),
                Arbitraries.of("{\"path\":\"input.duration\",\"message\":\"must be 3..15\",\"value\":\"" + KEY + "\"}", "7",
                        "null", "[]"));
    }

    private static Arbitrary<String> urls() {
        return Arbitraries.oneOf(
                Arbitraries.of("https://cdn/v.mp4", "http://cdn/v.mp4", "ftp://cdn/v.mp4", "javascript:alert(1)", "",
                        "https://cdn/v.mp4?key=" + KEY, "HTTPS://CDN/V.MP4", "https://cdn/\u0000").map(GivonAnswersPropertiesTest::quote),
                Arbitraries.integers().between(2_000, 10_000).map(n -> quote("https://cdn/" + "v".repeat(n))),
                Arbitraries.of("[\"https://cdn/v.mp4\"]", "[{\"url\":\"https://cdn/v.mp4\"}]", "{\"url\":42}", "7"));
    }

    private static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
