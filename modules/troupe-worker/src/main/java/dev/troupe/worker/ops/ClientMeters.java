package dev.troupe.worker.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The meters others define, bound to the worker's registry: Micrometer's JVM and process binders, and
 * the Kafka clients' own metrics ({@code kafka_consumer_*}, {@code kafka_producer_*}) of the job
 * consumer and the results producer. Kafka adds metrics as a client works (a partition's
 * {@code records-lag} once it is fetched), so each Kafka binder looks for new ones every
 * {@link #KAFKA_REFRESH} on a daemon thread of its own (its own: a binder's refresh must stop before
 * its meters are removed, or it would register them again). {@link #close()} unbinds everything.
 */
public final class ClientMeters implements AutoCloseable {

    /** How often the Kafka binders look for metrics their client added (a newly assigned partition's lag). */
    static final Duration KAFKA_REFRESH = Duration.ofSeconds(10);

    private final MeterRegistry registry;
    private final String instance;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private Binding consumer;
    private Binding producer;
    private boolean closed;

    public ClientMeters(MeterRegistry registry, String instance) {
        this.registry = registry;
        this.instance = instance;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** Binds the job consumer's metrics (lag per assigned partition among them). */
    public synchronized void bindConsumer(Consumer<?, ?> jobs) {
        if (closed) {
            return;
        }
        ScheduledExecutorService refresher = refresher("consumer");
        consumer = bound(new KafkaClientMetrics(jobs, Tags.empty(), refresher, KAFKA_REFRESH), refresher);
    }

    /**
     * Binds the results producer's metrics, in place of the previous producer's (exactly-once delivery
     * makes a new one after a fencing, with the same client id). Returns it, for use in a factory.
     */
    public synchronized <P extends Producer<?, ?>> P bindProducer(P results) {
        if (!closed) {
            if (producer != null) {
                producer.close(); // first: the new binder's meters have the same ids
            }
            ScheduledExecutorService refresher = refresher("results");
            producer = bound(new KafkaClientMetrics(results, Tags.empty(), refresher, KAFKA_REFRESH), refresher);
        }
        return results;
    }

    private Binding bound(KafkaClientMetrics binder, ScheduledExecutorService refresher) {
        binder.bindTo(registry);
        return new Binding(binder, refresher);
    }

    private ScheduledExecutorService refresher(String client) {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "troupe-kafka-meters-" + client + "-" + instance);
            thread.setDaemon(true);
            return thread;
        });
    }

    private record Binding(KafkaClientMetrics binder, ScheduledExecutorService refresher) {
        void close() {
            refresher.shutdownNow();
            try {
                refresher.awaitTermination(5, TimeUnit.SECONDS); // a refresh under way would bind again what close removes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            binder.close();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (consumer != null) {
            consumer.close();
        }
        if (producer != null) {
            producer.close();
        }
        gc.close();
    }
}
