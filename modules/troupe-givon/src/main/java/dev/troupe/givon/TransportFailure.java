package dev.troupe.givon;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Classifies a failure without an HTTP answer by whether the request can have reached Givon.
 *
 * <p>Before a connection is obtained nothing was written: connection refused, unknown host, TCP
 * connect timeout (Netty's {@code ConnectTimeoutException} is a {@link ConnectException}), TLS
 * handshake failure, a full pool queue, Vert.x's per-request connect timeout (waiting for a pool
 * slot), or the request deadline passing while still waiting for a connection. Everything after that
 * (response timeout, request deadline, connection closed or reset) may have delivered the request, so
 * for a POST the outcome is {@link GivonError.Uncertain}.
 *
 * <p>Residual risk: a pooled keep-alive connection that Givon already closed fails on reuse with
 * "closed" or "reset" and is reported Uncertain although Givon never saw the request. That errs on
 * the safe side (an UNCERTAIN job, never a second charge); keep-alive shorter than Givon's idle
 * timeout makes it rare.
 */
final class TransportFailure {

    // Vert.x 5 signals its request connectTimeout (pool slot + connect) with a plain TimeoutException;
    // only its message tells it from the response (idle) timeout. If a Vert.x upgrade changes the
    // wording, connect timeouts become Uncertain: conservative, and caught by the tests.
    private static final String CONNECT_TIMEOUT_WORDING = "getting a connection";

    private TransportFailure() {
    }

    static boolean beforeRequestWritten(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof SSLHandshakeException || t instanceof ConnectionPoolTooBusyException) {
                return true;
            }
            if (t instanceof GivonHttp.RequestTimeout deadline) {
                return !deadline.mayHaveBeenSent();
            }
            if (t instanceof TimeoutException && t.getMessage() != null && t.getMessage().contains(CONNECT_TIMEOUT_WORDING)) {
                return true;
            }
        }
        return false;
    }

    /** For an idempotent GET every transport failure is transient; for a POST only those before writing. */
    static GivonError classify(Throwable failure, boolean idempotent, ApiKey apiKey) {
        String reason = new GivonText(apiKey).message(describe(failure));
        if (idempotent || beforeRequestWritten(failure)) {
            return new GivonError.Retryable(-1, reason);
        }
        return new GivonError.Uncertain(-1, reason);
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        // Not clipped here: GivonText redacts the whole text before it clips.
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
