package dev.troupe.givon;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange with Givon, bounded in time and size, on the Vert.x core HTTP client.
 *
 * <p>Why not the Web Client: in Vert.x 5.1 neither offers a total deadline. {@code RequestOptions}'
 * (and {@code HttpRequest}'s) {@code timeout} only sets both a connect timeout (obtaining a pooled
 * connection) and an idle timeout; the idle timeout is a timer that the client cancels as soon as the
 * response head arrives ({@code HttpClientRequestBase.handleResponse}), so after the headers nothing
 * bounds the body: an answer that trickles a byte every 300 ms, or stops after its headers, holds the
 * request and its pooled connection for ever. Vert.x 5 suggests {@code Future.timeout} for an overall
 * limit, but that only fails the future and leaves the connection busy in the pool. So each exchange
 * here has its own timer: at the deadline it resets the request, which for HTTP/1.x closes the
 * connection of an in-flight request (its pool slot is freed), and fails with
 * {@link RequestTimeout}. The body is read into memory only up to {@link #MAX_BODY_BYTES}.
 *
 * <p>Everything of one exchange runs on one Vert.x context (the caller's, or a new event-loop context
 * for a caller outside Vert.x), so its state needs no locks; nothing here blocks.
 */
final class GivonHttp implements AutoCloseable {

    /**
     * Largest answer body read. Givon's answers are small JSON documents; a bigger body is read up to
     * here and then its connection is closed (the answer counts as cut, {@link Answer#truncated()}).
     * Room for a 2 MB failure reason, while a fleet of hostile answers stays affordable in memory
     * (a worker at concurrency 64 holds at most 64 of them, plus their decoded text).
     */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    /**
     * An answer: status, the {@code Retry-After} header, and the body decoded as UTF-8 (malformed bytes
     * replaced). {@code truncated} when the body was longer than {@link #MAX_BODY_BYTES}.
     */
    record Answer(int status, String retryAfter, String body, boolean truncated) {
    }

    /** The total deadline passed; {@code mayHaveBeenSent} is false when no connection was obtained yet. */
    static final class RequestTimeout extends TimeoutException {
        private final boolean mayHaveBeenSent;

        RequestTimeout(Duration timeout, boolean mayHaveBeenSent) {
            super("no complete answer within " + timeout.toMillis() + " ms (request deadline"
                    + (mayHaveBeenSent ? "" : ", no connection was obtained") + ")");
            this.mayHaveBeenSent = mayHaveBeenSent;
        }

        boolean mayHaveBeenSent() {
            return mayHaveBeenSent;
        }
    }

    private final Vertx vertx;
    private final GivonConfig config;
    /** For requests from anywhere but an event loop (a worker thread, a test's thread). */
    private final HttpClientAgent client;
    /**
     * A client per event loop that sends: its connections are that loop's, so an answer is read where
     * its request was sent, not on another loop and handed over (a worker that runs its jobs on several
     * event loops). Event loops are few (Vert.x's pool), so this stays small; each pool is bounded by
     * givon.max-pool-size, and connections in use never outnumber the requests the limiter lets out.
     */
    private final ConcurrentHashMap<Thread, HttpClientAgent> byEventLoop = new ConcurrentHashMap<>();
    private volatile boolean closed;

    GivonHttp(Vertx vertx, GivonConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.client = newClient();
    }

    private HttpClientAgent newClient() {
        HttpClientOptions options = new HttpClientOptions()
                // TCP connect; the request's own connectTimeout below also bounds the wait for a pool slot.
                .setConnectTimeout(Math.toIntExact(config.connectTimeout().toMillis()));
        return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(config.maxPoolSize()));
    }

    /** The calling event loop's client (made at its first request), or the shared one off the event loops. */
    private HttpClientAgent client() {
        if (!Context.isOnEventLoopThread() || closed) {
            return client;
        }
        return byEventLoop.computeIfAbsent(Thread.currentThread(), loop -> newClient());
    }

    /**
     * Sends one request and reads its whole answer, or fails with the transport's exception (or a
     * {@link RequestTimeout} once {@code timeout} has passed since this call, whatever stage it is at).
     * Redirects are not followed: a 3xx is an answer like any other.
     */
    Future<Answer> exchange(HttpMethod method, String url, MultiMap headers, Buffer body, Duration timeout) {
        Context context = vertx.getOrCreateContext();
        Promise<Answer> promise = Promise.promise();
        context.runOnContext(ignored -> new Exchange(promise, timeout).start(method, url, headers, body));
        return promise.future();
    }

    @Override
    public void close() {
        closed = true;
        client.close();
        byEventLoop.values().forEach(HttpClientAgent::close);
    }

    /**
     * A Vert.x timer delay for {@code wait}: rounded up to whole milliseconds (a timer never fires
     * before the wait is over), at least 1, and without overflow for an absurdly long wait.
     */
    static long timerMillis(Duration wait) {
        if (wait.isNegative() || wait.isZero()) {
            return 1;
        }
        if (wait.getSeconds() >= Long.MAX_VALUE / 2_000) {
            return Long.MAX_VALUE / 2;
        }
        long millis = wait.toMillis();
        return wait.getNano() % 1_000_000 == 0 ? Math.max(1, millis) : millis + 1;
    }

    /** The state of one exchange, confined to its context. */
    private final class Exchange {
        private final Promise<Answer> promise;
        private final Duration timeout;
        private final long timerId;
        private HttpClientRequest request;
        private boolean done;

        Exchange(Promise<Answer> promise, Duration timeout) {
            this.promise = promise;
            this.timeout = timeout;
            this.timerId = vertx.setTimer(timerMillis(timeout), id -> expire());
        }

        void start(HttpMethod method, String url, MultiMap headers, Buffer body) {
            RequestOptions options = new RequestOptions()
                    .setMethod(method)
                    .setAbsoluteURI(url)
                    .setHeaders(headers)
                    .setFollowRedirects(false)
                    // Fails the wait for a pool slot plus the TCP connect (a TimeoutException "... getting a connection").
                    .setConnectTimeout(config.connectTimeout().toMillis())
                    // Fails the wait for the response head; Vert.x stops it once the head arrives.
                    .setIdleTimeout(config.responseTimeout().toMillis());
            client().request(options).onComplete(ar -> {
                if (ar.failed()) {
                    fail(ar.cause());
                } else if (done) {
                    // The deadline passed while waiting for a connection: abort before writing anything.
                    ar.result().reset();
                } else {
                    request = ar.result();
                    Future<HttpClientResponse> sent = body == null ? request.send() : request.send(body);
                    sent.onComplete(response -> {
                        if (response.failed()) {
                            fail(response.cause());
                        } else {
                            read(response.result());
                        }
                    });
                }
            });
        }

        private void read(HttpClientResponse response) {
            if (done) {
                return;
            }
            response.pause();
            Buffer received = Buffer.buffer();
            response.exceptionHandler(this::fail);
            response.handler(chunk -> {
                if (done) {
                    return;
                }
                int room = MAX_BODY_BYTES - received.length();
                if (chunk.length() <= room) {
                    received.appendBuffer(chunk);
                    return;
                }
                received.appendBuffer(chunk, 0, room);
                // Stop reading: closing the connection is cheaper than draining an unbounded body.
                complete(response, received, true);
                request.reset();
            });
            response.endHandler(ignored -> complete(response, received, false));
            response.resume();
        }

        private void complete(HttpClientResponse response, Buffer received, boolean truncated) {
            if (done) {
                return;
            }
            done = true;
            vertx.cancelTimer(timerId);
            promise.complete(new Answer(response.statusCode(), response.getHeader("Retry-After"),
                    received.toString(StandardCharsets.UTF_8), truncated));
        }

        private void fail(Throwable failure) {
            if (done) {
                return;
            }
            done = true;
            vertx.cancelTimer(timerId);
            promise.fail(failure);
        }

        private void expire() {
            if (done) {
                return;
            }
            done = true;
            boolean obtained = request != null;
            if (obtained) {
                // HTTP/1.x: closes the connection of the in-flight request, so its pool slot is free again.
                request.reset();
            }
            promise.fail(new RequestTimeout(timeout, obtained));
        }
    }
}
