package dev.troupe.worker.results;

import dev.troupe.model.JobResult;
import dev.troupe.model.JournalEntry;
import dev.troupe.worker.consumer.JobRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The at-least-once {@link ResultSink} ({@code results.delivery: at-least-once}, for clusters
 * without transactions): writes each result to {@code troupe.results} and each unreadable record to
 * {@code troupe.dlq} on its own; the caller journals the outcome and commits the offset once Kafka
 * acknowledged it, so a crash in between publishes the result again. {@link Producer#send} may block
 * (metadata, a full buffer), so sends run on one dedicated thread; their outcome comes back on the
 * runner's context. The producer is idempotent with acks=all (set by the worker configuration).
 *
 * <p>Every record is published in the first of its {@link RecordForms} that Kafka takes. Any other
 * failure is retried with a growing pause until Kafka acknowledges or the publisher closes, so a
 * result is never dropped while the worker runs.
 */
public final class ResultPublisher implements ResultSink {

    private static final Logger log = LoggerFactory.getLogger(ResultPublisher.class);

    private static final long FIRST_RETRY_MILLIS = 500;
    private static final long MAX_RETRY_MILLIS = 5_000;

    private final Producer<byte[], byte[]> producer;
    private final ResultRecords records;
    private final Context context;
    private final int maxRequestBytes;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "troupe-result-publisher");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param maxRequestBytes the producer's {@code max.request.size}: forms known to be larger are not sent
     */
    public ResultPublisher(Producer<byte[], byte[]> producer, ResultRecords records, Context context, int maxRequestBytes) {
        this.producer = producer;
        this.records = records;
        this.context = context;
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * Completes on the calling runner's context (the one given here when called from elsewhere) once Kafka acknowledged the result (acks=all); fails only when
     * the publisher was closed first. The result is encoded on the send thread: in a JFR profile of
     * the dispatch bench (L = 0, C = 256) JSON writing was about 6% of the samples on the runner's event loop.
     */
    @Override
    public Future<Void> publish(JobRecord record, JobResult result, JournalEntry outcome) {
        if (outcome != null) {
            throw new IllegalArgumentException("at-least-once delivery journals the outcome apart from the result");
        }
        return deliver(records.result(result));
    }

    @Override
    public Future<Void> deadLetter(JobRecord source, String errorCode, String errorMessage) {
        return deliver(records.deadLetter(source, errorCode, errorMessage));
    }

    @Override
    public boolean transactional() {
        return false;
    }

    /** Tries each form in turn on the send thread, moving on only when a form is too large. */
    private Future<Void> deliver(RecordForms forms) {
        Promise<Void> acked = Promise.promise();
        // The runner's event loop that asked hears back, whichever of the worker's event loops it is.
        Context caller = Vertx.currentContext();
        attempt(caller != null ? caller : context, forms.what(), forms, 0, FIRST_RETRY_MILLIS, acked);
        return acked.future();
    }

    private void attempt(Context context, String what, RecordForms forms, int form, long retryMillis,
                         Promise<Void> acked) {
        try {
            sender.execute(() -> {
                ProducerRecord<byte[], byte[]> record;
                try {
                    record = forms.form(form);
                } catch (RuntimeException e) {
                    // Cannot happen for a well-formed result; a next form is still better than a lost one.
                    context.runOnContext(v -> tooLarge(context, what, forms, form, e, acked));
                    return;
                }
                int size = RecordForms.estimatedSize(record);
                if (size > maxRequestBytes) {
                    context.runOnContext(v -> tooLarge(context, what, forms, form, new RecordTooLargeException(
                            "about " + size + " bytes, over max.request.size " + maxRequestBytes), acked));
                    return;
                }
                try {
                    producer.send(record, (metadata, error) -> context.runOnContext(v -> sent(context, what, forms, form, retryMillis, error,
                            acked)));
                } catch (RuntimeException e) {
                    context.runOnContext(v -> sent(context, what, forms, form, retryMillis, e, acked));
                }
            });
        } catch (RejectedExecutionException e) {
            acked.tryFail(new IllegalStateException("result publisher is closed", e));
        }
    }

    private void sent(Context context, String what, RecordForms forms, int form, long retryMillis,
                      Exception error, Promise<Void> acked) {
        if (error == null) {
            if (form > 0) {
                log.warn("{} was published cut to fit (form {} of {})", what, form + 1, forms.count());
            }
            acked.tryComplete();
        } else if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException) {
            tooLarge(context, what, forms, form, error, acked);
        } else if (closed()) {
            acked.tryFail(new IllegalStateException("result publisher is closed", error));
        } else {
            log.warn("publishing {} failed, retrying in {} ms: {}", what, retryMillis, error.toString());
            context.owner().setTimer(retryMillis, id -> attempt(context, what, forms, form, Math.min(MAX_RETRY_MILLIS, retryMillis * 2),
                    acked));
        }
    }

    private void tooLarge(Context context, String what, RecordForms forms, int form, Exception error,
                          Promise<Void> acked) {
        if (form + 1 < forms.count()) {
            attempt(context, what, forms, form + 1, FIRST_RETRY_MILLIS, acked);
            return;
        }
        // Even the smallest form is refused: the topic's limits are below what any record needs. Say so
        // loudly and let the record go, rather than hold its partition's commit for ever.
        log.error("{} cannot be published in any form ({}); check max.request.size and the topic's max.message.bytes. "
                + "Its record is treated as finished.", what, error.toString());
        acked.tryComplete();
    }

    /** After {@link #close()}: nothing can be sent any more. */
    public boolean closed() {
        return sender.isShutdown();
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
