package dev.troupe.bench.pc;

import dev.troupe.model.DecodeResult;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What Parallel Consumer runs for each job record, as the blocking baseline does it: decode with Troupe's
 * codec (the same validation as the worker), run a valid job at Givon, or answer an invalid record with
 * a REJECTED result; then publish the result. The future completes when the result is in Kafka.
 */
final class JobWork {

    private final JobCodec codec;
    private final AsyncGivonCall givon;
    private final ResultPublisher results;

    JobWork(JobCodec codec, AsyncGivonCall givon, ResultPublisher results) {
        this.codec = codec;
        this.givon = givon;
        this.results = results;
    }

    /** Called on PC's dispatch thread; returns at once, the work goes on on Vert.x's event loops. */
    Future<Void> handle(ConsumerRecord<byte[], byte[]> record) {
        Instant enqueued = Instant.ofEpochMilli(record.timestamp());
        DecodeResult decoded = codec.decode(record.value());
        Future<JobResult> result = decoded instanceof DecodeResult.Decoded ok
                ? givon.run(ok.job(), enqueued)
                : Future.succeededFuture(rejected(record, decoded, enqueued));
        return result.compose(results::publish);
    }

    /** The baseline's REJECTED result for a record that is not a valid job. */
    private static JobResult rejected(ConsumerRecord<byte[], byte[]> record, DecodeResult decoded, Instant enqueued) {
        String jobId = record.key() == null ? "unknown" : new String(record.key(), StandardCharsets.UTF_8);
        return new JobResult(jobId, null, null, JobStatus.REJECTED, null, null, Tokens.ZERO, 0,
                JobResult.Error.of("INVALID_JOB", decoded.toString(), false),
                new JobResult.Timings(enqueued, Instant.now(), null, Instant.now()), Map.of());
    }
}
