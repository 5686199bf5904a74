package dev.troupe.worker.results;

import dev.troupe.model.JobResult;
import dev.troupe.model.JournalEntry;
import dev.troupe.worker.consumer.ConsumerCommand;
import dev.troupe.worker.consumer.ConsumerCommands;
import dev.troupe.worker.consumer.JobRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * The exactly-once {@link ResultSink}: hands each outcome to the consumer thread, which publishes it
 * in the transaction that commits its record's offset ({@link ResultTransactions}). Completes on the
 * runner's context once that transaction committed.
 */
public final class TransactionalResults implements ResultSink {

    private final ResultRecords records;
    private final ConsumerCommands commands;
    private final Context context;

    public TransactionalResults(ResultRecords records, ConsumerCommands commands, Context context) {
        this.records = records;
        this.commands = commands;
        this.context = context;
    }

    @Override
    public Future<Void> publish(JobRecord record, JobResult result, JournalEntry outcome) {
        return outcome == null
                ? send(record, List.of(records.result(result)))
                : send(record, List.of(records.result(result), records.outcome(record.partition(), outcome)));
    }

    @Override
    public Future<Void> deadLetter(JobRecord record, String errorCode, String errorMessage) {
        return send(record, List.of(records.deadLetter(record, errorCode, errorMessage)));
    }

    @Override
    public boolean transactional() {
        return true;
    }

    private Future<Void> send(JobRecord record, List<RecordForms> forms) {
        Promise<Void> committed = Promise.promise();
        // The runner's event loop that asked hears back, whichever of the worker's event loops it is.
        Context caller = Vertx.currentContext();
        Context context = caller != null ? caller : this.context;
        commands.add(new ConsumerCommand.Publish(record, forms, error -> context.runOnContext(v -> {
            if (error == null) {
                committed.tryComplete();
            } else {
                committed.tryFail(error);
            }
        })));
        return committed.future();
    }

    /** The consumer thread owns the transactions; it closes them. */
    @Override
    public void close() {
    }
}
