package dev.troupe.client;

/** The Kafka cluster did not answer within the connection's timeout. */
public final class KafkaUnreachableException extends RuntimeException {

    private final String bootstrapServers;

    public KafkaUnreachableException(KafkaConnection kafka, String reason, Throwable cause) {
        super("Kafka at " + kafka.bootstrapServers() + " is not reachable within " + describe(kafka) + ": " + reason, cause);
        this.bootstrapServers = kafka.bootstrapServers();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    private static String describe(KafkaConnection kafka) {
        long seconds = kafka.timeout().toSeconds();
        return seconds > 0 ? seconds + " s" : kafka.timeout().toMillis() + " ms";
    }
}
