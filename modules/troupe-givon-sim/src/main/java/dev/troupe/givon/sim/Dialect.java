package dev.troupe.givon.sim;

/**
 * How the simulator words its answers. Givon's response format is undocumented, so a client must
 * cope with any of the plausible shapes; {@link #MIXED} makes the simulator vary them.
 */
public enum Dialect {
    /** Always {@code id}, lower-case {@code queued/processing/succeeded/failed}, {@code output.url}, 201. */
    STANDARD,
    /**
     * Per response (seeded): the id under {@code id}, {@code generationId} or {@code data.id}; status
     * spellings in any case; the video URL under {@code output.url}, {@code videoUrl},
     * {@code output.videoUrl} or {@code result.url}; POST answers 200, 201 or 202.
     */
    MIXED
}
