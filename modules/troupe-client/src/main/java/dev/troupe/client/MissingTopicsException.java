package dev.troupe.client;

import java.util.List;

/** Topics Troupe needs do not exist on the cluster (Troupe does not rely on auto-creation). */
public final class MissingTopicsException extends RuntimeException {

    private final List<String> topics;

    public MissingTopicsException(String bootstrapServers, List<String> topics) {
        super((topics.size() == 1 ? "topic " + topics.get(0) + " does not exist" : "topics " + String.join(", ", topics)
                + " do not exist") + " on " + bootstrapServers + "; create them with: troupe topics create");
        this.topics = List.copyOf(topics);
    }

    public List<String> topics() {
        return topics;
    }
}
