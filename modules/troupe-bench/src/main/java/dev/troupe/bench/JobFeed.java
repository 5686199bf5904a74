package dev.troupe.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces jobs onto a topic on its own thread while a measurement runs, keeping at most
 * {@code maxBacklog} jobs produced but not yet finished, so the system under test never starves
 * and the topic never grows without bound. With a {@code limit} it stops after that many jobs.
 */
final class JobFeed implements AutoCloseable {

    private static final int BURST = 256;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String idPrefix;
    private final String tenant;
    private final LongSupplier finished;
    private final long maxBacklog;
    private final long limit;
    private final AtomicLong produced = new AtomicLong();
    private final Thread thread;
    private volatile boolean stop;
    private volatile Exception failure;

    private JobFeed(KafkaProducer<byte[], byte[]> producer, String topic, String idPrefix, String tenant, LongSupplier finished,
            long maxBacklog, long limit) {
        this.producer = producer;
        this.topic = topic;
        this.idPrefix = idPrefix;
        this.tenant = tenant;
        this.finished = finished;
        this.maxBacklog = maxBacklog;
        this.limit = limit;
        this.thread = new Thread(this::run, "bench-feed-" + topic);
        this.thread.setDaemon(true);
    }

    /**
     * Feeds without end, holding the backlog (produced minus finished) under {@code maxBacklog}.
     *
     * @param tenant every job's tenant, or null for none (the default budget)
     */
    static JobFeed continuous(KafkaProducer<byte[], byte[]> producer, String topic, String idPrefix, String tenant,
            LongSupplier finished, long maxBacklog) {
        JobFeed feed = new JobFeed(producer, topic, idPrefix, tenant, finished, maxBacklog, Long.MAX_VALUE);
        feed.thread.start();
        return feed;
    }

    /** Feeds exactly {@code count} jobs as fast as the producer takes them. */
    static JobFeed exactly(KafkaProducer<byte[], byte[]> producer, String topic, String idPrefix, long count) {
        JobFeed feed = new JobFeed(producer, topic, idPrefix, null, () -> 0, Long.MAX_VALUE, count);
        feed.thread.start();
        return feed;
    }

    /** The jobId of the n-th job (from 0) of a feed with this prefix. */
    static String jobId(String idPrefix, long n) {
        return idPrefix + "-" + n;
    }

    private void run() {
        try {
            while (!stop && produced.get() < limit) {
                long room = maxBacklog - (produced.get() - finished.getAsLong());
                if (room <= 0) {
                    // Harness pacing only: nothing under test waits on this thread.
                    TimeUnit.MILLISECONDS.sleep(2);
                    continue;
                }
                long burst = Math.min(Math.min(room, BURST), limit - produced.get());
                for (long i = 0; i < burst; i++) {
                    String jobId = jobId(idPrefix, produced.get());
                    byte[] value = JobRecords.value(jobId, tenant);
                    producer.send(new ProducerRecord<>(topic, JobRecords.key(jobId), value), (m, error) -> {
                        if (error != null && failure == null) {
                            failure = error;
                        }
                    });
                    produced.incrementAndGet();
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure = e;
        }
    }

    /** The first send that failed, or null. */
    Exception failure() {
        return failure;
    }

    /** Waits until a limited feed has handed every job to Kafka (acknowledged). */
    void awaitDone(long timeoutMillis) throws InterruptedException {
        thread.join(timeoutMillis);
        if (failure != null) {
            throw new IllegalStateException("producing jobs failed: " + failure, failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(10_000);
    }
}
