package dev.troupe.givon.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.model.Tokens;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The JSON form of a {@link LedgerSnapshot}, as served on {@code GET /sim/stats}: field names
 * as in the record, token amounts as decimal strings, maps as objects.
 */
public final class LedgerSnapshotJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LedgerSnapshotJson() {
    }

    public static String write(LedgerSnapshot snapshot) {
        ObjectNode root = JSON.createObjectNode();
        root.put("generationsCreated", snapshot.generationsCreated());
        root.put("generationsSucceeded", snapshot.generationsSucceeded());
        root.put("generationsFailed", snapshot.generationsFailed());
        root.put("activeGenerations", snapshot.activeGenerations());
        root.put("tokensCharged", snapshot.tokensCharged().toString());
        root.put("tokensRefunded", snapshot.tokensRefunded().toString());
        root.put("peakConcurrentGenerations", snapshot.peakConcurrentGenerations());
        root.put("unansweredRequests", snapshot.unansweredRequests());
        root.put("idempotentReplays", snapshot.idempotentReplays());
        root.put("maxGenerationsForOneKey", snapshot.maxGenerationsForOneKey());
        ObjectNode peaks = root.putObject("peakConcurrentByApiKey");
        snapshot.peakConcurrentByApiKey().forEach(peaks::put);
        ObjectNode responses = root.putObject("responsesByStatus");
        snapshot.responsesByStatus().forEach((status, count) -> responses.put(Integer.toString(status), count));
        ObjectNode byKey = root.putObject("generationsByIdempotencyKey");
        snapshot.generationsByIdempotencyKey().forEach(byKey::put);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** Reads what {@link #write} wrote; derived fields are ignored. */
    public static LedgerSnapshot read(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("simulator stats are not JSON: " + e.getOriginalMessage(), e);
        }
        return new LedgerSnapshot(
                root.path("generationsCreated").asLong(),
                map(root.path("generationsByIdempotencyKey"), Function.identity(), JsonNode::asInt),
                root.path("generationsSucceeded").asLong(),
                root.path("generationsFailed").asLong(),
                Tokens.parse(root.path("tokensCharged").asText("0")),
                Tokens.parse(root.path("tokensRefunded").asText("0")),
                root.path("peakConcurrentGenerations").asInt(),
                map(root.path("peakConcurrentByApiKey"), Function.identity(), JsonNode::asInt),
                map(root.path("responsesByStatus"), Integer::valueOf, JsonNode::asLong),
                root.path("unansweredRequests").asLong(),
                root.path("idempotentReplays").asLong());
    }

    private static <K, V> Map<K, V> map(JsonNode object, Function<String, K> key, Function<JsonNode, V> value) {
        Map<K, V> map = new HashMap<>();
        object.properties().forEach(entry -> map.put(key.apply(entry.getKey()), value.apply(entry.getValue())));
        return map;
    }
}
