package dev.troupe.cli.dashboard.fleet;

import io.vertx.core.Context;
import io.vertx.core.Future;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * GETs a worker's {@code /metrics}, bounded in time and size: the whole exchange (connection, head and
 * body) within {@code timeout}, the body at most {@code maxBodyBytes}. Either breach resets the request,
 * which closes its connection, so a trickling or endless endpoint holds nothing past its scrape.
 *
 * <p>On the Vert.x core HTTP client rather than the Web Client, for the reason {@code GivonHttp} gives:
 * in Vert.x 5.1 the Web Client's timeout stops at the response head and its body codecs cannot stop a
 * body midway, while a dashboard polling every 2 s must not pile up connections to a stuck endpoint.
 *
 * <p>Each exchange runs on the caller's Vert.x context (or a new one); it never blocks.
 */
final class MetricsScraper implements AutoCloseable {

    /** Why a scrape gave no body; the message is what the fleet view shows. */
    static final class ScrapeFailed extends RuntimeException {
        ScrapeFailed(String message) {
            super(message, null, false, false);
        }
    }

    private final Vertx vertx;
    private final HttpClientAgent client;
    private final Duration timeout;
    private final int maxBodyBytes;

    MetricsScraper(Vertx vertx, Duration timeout, int maxBodyBytes) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(millis).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(2));
    }

    /** The body as UTF-8 text, or a failed future with a {@link ScrapeFailed} (or the transport's exception). */
    Future<String> scrape(URI endpoint) {
        Context context = vertx.getOrCreateContext();
        Promise<String> promise = Promise.promise();
        context.runOnContext(ignored -> new Exchange(promise, endpoint).start());
        return promise.future();
    }

    @Override
    public void close() {
        client.close();
    }

    /** One scrape's state, confined to its context. */
    private final class Exchange {
        private final Promise<String> promise;
        private final URI endpoint;
        private final long timerId;
        private HttpClientRequest request;
        private boolean done;

        Exchange(Promise<String> promise, URI endpoint) {
            this.promise = promise;
            this.endpoint = endpoint;
            this.timerId = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> expire());
        }

        void start() {
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    .setAbsoluteURI(endpoint.toString())
                    .setFollowRedirects(false)
                    .setConnectTimeout(timeout.toMillis())
                    .putHeader("Accept", "text/plain; version=0.0.4");
            client.request(options).onComplete(ar -> {
                if (ar.failed()) {
                    fail(ar.cause());
                } else if (done) {
                    ar.result().reset();
                } else {
                    request = ar.result();
                    request.send().onComplete(response -> {
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
            // Before anything resets the request, so that the reset's own exception is handled here (ignored once done).
            response.exceptionHandler(this::fail);
            if (done) {
                return;
            }
            if (response.statusCode() != 200) {
                fail(new ScrapeFailed("HTTP " + response.statusCode() + " from " + endpoint));
                request.reset();
                return;
            }
            response.pause();
            Buffer received = Buffer.buffer();
            response.handler(chunk -> {
                if (done) {
                    return;
                }
                if (received.length() + chunk.length() > maxBodyBytes) {
                    fail(new ScrapeFailed("the metrics body is over " + maxBodyBytes + " bytes; it was not read to the end"));
                    request.reset();
                    return;
                }
                received.appendBuffer(chunk);
            });
            response.endHandler(ignored -> {
                if (!done) {
                    done = true;
                    vertx.cancelTimer(timerId);
                    promise.complete(received.toString(StandardCharsets.UTF_8));
                }
            });
            response.resume();
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
            if (request != null) {
                request.reset();
            }
            promise.fail(new ScrapeFailed("no complete answer within " + timeout.toMillis() + " ms"));
        }
    }
}
