package dev.troupe.givon;

/**
 * Told of every HTTP exchange a {@link GivonClient} has with Givon, once it ended: what it was
 * ({@link Kind}) and how Givon answered ({@link AnswerClass}). Called on a Vert.x event loop for
 * each request actually sent (a paced request counts when it goes out); it must return at once and
 * never throw. The worker counts these as {@code troupe_givon_exchanges_total}.
 */
@FunctionalInterface
public interface ExchangeObserver {

    ExchangeObserver NONE = (kind, answer) -> { };

    void exchanged(Kind kind, AnswerClass answer);

    /** What the exchange was for. */
    enum Kind {
        /** A POST of a job ({@link GivonClient#submit}). */
        SUBMIT("submit"),
        /** A GET of a generation's status ({@link GivonClient#status}, each read of {@link GivonClient#follow}). */
        STATUS("status"),
        /** The cheap authenticated read that checks the key and probes an open circuit ({@link GivonClient#checkAccess}). */
        PROBE("probe");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The metric label value. */
        public String label() {
            return label;
        }
    }

    /** How an exchange ended: the class of Givon's HTTP status, or why there was no answer. */
    enum AnswerClass {
        OK("2xx"),
        CLIENT_ERROR("4xx"),
        /** A 429 apart from the other 4xx: it is Givon pacing us, not refusing the request. */
        RATE_LIMITED("429"),
        SERVER_ERROR("5xx"),
        /** No connection was obtained (refused, unknown host, TLS handshake, connect timeout, pool full): nothing was sent. */
        CONNECTION("connection"),
        /** The request may have been sent and no complete answer came (timeout, connection closed or reset). */
        NO_RESPONSE("no_response"),
        /** Any other status (1xx, 3xx: redirects are not followed). */
        OTHER("other");

        private final String label;

        AnswerClass(String label) {
            this.label = label;
        }

        /** The metric label value. */
        public String label() {
            return label;
        }

        /** The class of an HTTP status Givon answered with. */
        public static AnswerClass of(int httpStatus) {
            if (httpStatus == 429) {
                return RATE_LIMITED;
            }
            if (httpStatus >= 200 && httpStatus <= 299) {
                return OK;
            }
            if (httpStatus >= 400 && httpStatus <= 499) {
                return CLIENT_ERROR;
            }
            if (httpStatus >= 500 && httpStatus <= 599) {
                return SERVER_ERROR;
            }
            return OTHER;
        }

        /** The class of an exchange that failed without an answer. */
        static AnswerClass ofFailure(Throwable failure) {
            return TransportFailure.beforeRequestWritten(failure) ? CONNECTION : NO_RESPONSE;
        }
    }
}
