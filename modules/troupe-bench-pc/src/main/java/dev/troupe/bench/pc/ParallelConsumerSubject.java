package dev.troupe.bench.pc;

import dev.troupe.model.JobCodec;
import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import io.confluent.parallelconsumer.vertx.VertxParallelEoSStreamProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Confluent Parallel Consumer 0.5.3.3 on its Vert.x module as a system under test of the head-to-head bench
 * (bench/run with only versus), in a JVM of its own: configured as PC's README recommends (UNORDERED,
 * maxConcurrency = C, a KafkaConsumer without auto commit, PC's default commit mode,
 * PERIODIC_CONSUMER_ASYNCHRONOUS) and given the blocking baseline's work per record ({@link JobWork}).
 * The Vert.x instance and web client are ours only so that the client's pool is {@code http-pool}
 * connections; the Vert.x options are the ones PC uses when it builds its own.
 *
 * <p>PC calls the record function on its one dispatch thread (its external engines run a pool of 1), and
 * Vert.x 4 sticks one event-loop context to a thread that is not its own: so all of PC's HTTP calls, timers
 * and callbacks run on one event loop, as they do with PC's own {@code vertxHttp*} methods. That is PC as
 * shipped, not a choice made here.
 *
 * <p>Speaks the subject contract: {@code key=value} arguments ({@link SubjectArgs}); on stdout only
 * {@code ready} (once, at the first partition assignment), {@code heap BYTES} (after two full
 * collections) and {@code stopped}; on stdin {@code heap} and {@code stop} (end of input is {@code stop}).
 * Exit 0 after a stop, 2 for bad arguments, 1 for any other failure. Logs (warnings only) go to stderr.
 */
public final class ParallelConsumerSubject {

    /** The contract's bound on a stop; PC's close gets most of it, the producer the rest. */
    private static final Duration STOP_WITHIN = Duration.ofSeconds(5);
    private static final Duration PC_CLOSE = Duration.ofSeconds(3);
    private static final Duration PRODUCER_CLOSE = Duration.ofMillis(800);
    private static final Duration STARTUP_METADATA = Duration.ofSeconds(30);

    private final SubjectArgs args;
    private final PrintStream protocol;
    private final AtomicBoolean ready = new AtomicBoolean();
    private volatile boolean stopping;

    private ParallelConsumerSubject(SubjectArgs args, PrintStream protocol) {
        this.args = args;
        this.protocol = protocol;
    }

    public static void main(String[] argv) {
        // The protocol owns file descriptor 1; anything a library prints with System.out goes to stderr.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        SubjectArgs args;
        try {
            args = SubjectArgs.parse(argv);
        } catch (SubjectArgs.BadArguments e) {
            System.err.println("pc-subject: bad arguments: " + e.getMessage());
            System.exit(2);
            return;
        }
        int code;
        try {
            code = new ParallelConsumerSubject(args, protocol).run();
        } catch (Throwable e) {
            System.err.println("pc-subject: failed: " + e);
            e.printStackTrace(System.err);
            code = 1;
        }
        // Vert.x and the Kafka clients may leave non-daemon threads behind an abandoned close.
        System.exit(code);
    }

    private int run() throws IOException, InterruptedException {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties());
        // Fetches the results topic's metadata now, so no event loop blocks in the first send.
        producer.partitionsFor(args.resultsTopic());
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(Runtime.getRuntime().availableProcessors()));
        WebClient web = WebClient.create(vertx, webClientOptions());
        ParallelConsumerOptions<byte[], byte[]> options = ParallelConsumerOptions.<byte[], byte[]>builder()
                .ordering(ProcessingOrder.UNORDERED)
                .maxConcurrency(args.concurrency())
                .consumer(new KafkaConsumer<>(consumerProperties()))
                .build();
        VertxParallelEoSStreamProcessor<byte[], byte[]> pc = new VertxParallelEoSStreamProcessor<>(vertx, web, options);
        JobCodec codec = JobCodec.defaults();
        JobWork work = new JobWork(codec, new AsyncGivonCall(vertx, web, args.pollSchedule(), args.apiKey()),
                new ResultPublisher(producer, args.resultsTopic(), codec));
        pc.subscribe(List.of(args.jobsTopic()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty() && ready.compareAndSet(false, true)) {
                    line("ready");
                }
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // nothing held per partition here: PC tracks the offsets
            }
        });
        pc.vertxFuture(context -> work.handle(context.getSingleConsumerRecord()));
        watchForFailure(pc);

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command = stdin.readLine(); command != null; command = stdin.readLine()) {
            command = command.strip();
            if (command.equals("stop")) {
                break;
            } else if (command.equals("heap")) {
                line("heap " + heapAfterFullCollections());
            } else if (!command.isEmpty()) {
                System.err.println("pc-subject: unknown command ignored: " + command.substring(0, Math.min(80, command.length())));
            }
        }
        stop(pc, producer);
        line("stopped");
        return 0;
    }

    /** PC stops on its own only after a failure of its control loop: the bench run is then void. */
    private void watchForFailure(VertxParallelEoSStreamProcessor<byte[], byte[]> pc) {
        Thread watch = new Thread(() -> {
            while (!stopping) {
                if (pc.isClosedOrFailed() && !stopping) {
                    System.err.println("pc-subject: Parallel Consumer stopped by itself: " + pc.getFailureCause());
                    Runtime.getRuntime().halt(1);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "pc-subject-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /**
     * Stops taking records and abandons the generations in hand (PC's DONT_DRAIN close, then Vert.x closed),
     * bounded by {@link #STOP_WITHIN} however PC's close goes; then the producer, after what it holds.
     */
    private void stop(VertxParallelEoSStreamProcessor<byte[], byte[]> pc, KafkaProducer<byte[], byte[]> producer)
            throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + STOP_WITHIN.toNanos();
        Thread closer = new Thread(() -> {
            try {
                pc.close(PC_CLOSE, ParallelStreamProcessor.DrainingMode.DONT_DRAIN);
            } catch (Exception e) {
                System.err.println("pc-subject: Parallel Consumer close: " + e);
            }
        }, "pc-subject-close");
        closer.setDaemon(true);
        closer.start();
        closer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) - PRODUCER_CLOSE.toMillis()));
        if (closer.isAlive()) {
            System.err.println("pc-subject: Parallel Consumer did not close in time; abandoning it");
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        producer.close(Duration.ofMillis(Math.max(0, Math.min(left, PRODUCER_CLOSE.toMillis()))));
    }

    private static long heapAfterFullCollections() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private void line(String text) {
        synchronized (protocol) {
            protocol.println(text);
        }
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, args.group());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // PC tracks and commits offsets itself; its README requires auto commit off.
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args.bootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, args.group() + "-results");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(STARTUP_METADATA.toMillis()));
        return p;
    }

    /** HTTP/1.1 with keep-alive, at most {@code http-pool} connections to the simulator. */
    private WebClientOptions webClientOptions() {
        return new WebClientOptions()
                .setDefaultHost(args.givonHost())
                .setDefaultPort(args.givonPort())
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setPipelining(false)
                .setMaxPoolSize(args.httpPool())
                .setConnectTimeout(5_000)
                // Seconds: a pooled connection idle this long is closed (the simulator answers in milliseconds).
                .setIdleTimeout(60)
                .setKeepAliveTimeout(60);
    }
}
