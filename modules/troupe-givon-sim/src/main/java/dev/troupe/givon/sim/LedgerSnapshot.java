package dev.troupe.givon.sim;

import dev.troupe.model.Tokens;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The simulator's books at one instant: what was created and charged, what ended how, and how
 * the API answered. Tests read it to prove "no double pay" and "budget never exceeded".
 *
 * @param generationsCreated          generations created (and charged) in total
 * @param generationsByIdempotencyKey generations created per {@code Idempotency-Key} (requests without one are not listed)
 * @param generationsSucceeded        generations that have succeeded by now
 * @param generationsFailed           generations that have failed by now
 * @param tokensCharged               tokens charged, net of refunds
 * @param tokensRefunded              tokens given back for failed generations
 * @param peakConcurrentGenerations   the most generations active at once, over all keys
 * @param peakConcurrentByApiKey      the same per API key, keyed by a non-secret label (see {@link #peakConcurrentFor})
 * @param responsesByStatus           answers of the Givon API (not of {@code /sim/*}) per HTTP status
 * @param unansweredRequests          POSTs never answered on purpose
 * @param idempotentReplays           POSTs answered with an existing generation because of their Idempotency-Key
 */
public record LedgerSnapshot(
        long generationsCreated,
        Map<String, Integer> generationsByIdempotencyKey,
        long generationsSucceeded,
        long generationsFailed,
        Tokens tokensCharged,
        Tokens tokensRefunded,
        int peakConcurrentGenerations,
        Map<String, Integer> peakConcurrentByApiKey,
        Map<Integer, Long> responsesByStatus,
        long unansweredRequests,
        long idempotentReplays) {

    public LedgerSnapshot {
        generationsByIdempotencyKey = sorted(generationsByIdempotencyKey);
        peakConcurrentByApiKey = sorted(peakConcurrentByApiKey);
        responsesByStatus = sorted(responsesByStatus);
        Objects.requireNonNull(tokensCharged, "tokensCharged");
        Objects.requireNonNull(tokensRefunded, "tokensRefunded");
    }

    private static <K, V> Map<K, V> sorted(Map<K, V> map) {
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    /** Generations created and not ended yet. */
    public long activeGenerations() {
        return generationsCreated - generationsSucceeded - generationsFailed;
    }

    /** The most generations any one Idempotency-Key caused: 1 means nothing was paid twice. */
    public int maxGenerationsForOneKey() {
        return generationsByIdempotencyKey.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    public int generationsFor(String idempotencyKey) {
        return generationsByIdempotencyKey.getOrDefault(idempotencyKey, 0);
    }

    /** Peak concurrency of one API key; looks the key up by its label so it never appears in the books. */
    public int peakConcurrentFor(String apiKey) {
        return peakConcurrentByApiKey.getOrDefault(ApiKeyLabel.of(apiKey), 0);
    }

    public long responses(int httpStatus) {
        return responsesByStatus.getOrDefault(httpStatus, 0L);
    }

    public long totalResponses() {
        return responsesByStatus.values().stream().mapToLong(Long::longValue).sum();
    }
}
