package dev.troupe.givon.sim;

/**
 * One request to the simulated generation API, as a {@link ScriptedAnswers} script sees it.
 *
 * @param sequence       1 for the simulator's first API request, then 2, 3, ... (every method and path)
 * @param method         {@code POST}, {@code GET}, ...
 * @param path           the request path, e.g. {@code /api/v1/generations/gen_1_44izyv7n}
 * @param generationId   for a status read, the generation asked about; otherwise null
 * @param idempotencyKey for a submission, its {@code Idempotency-Key} header (null when absent); otherwise null
 */
public record ApiRequest(long sequence, String method, String path, String generationId, String idempotencyKey) {

    /** A {@code POST} to the generations endpoint. */
    public boolean isSubmission() {
        return method.equals("POST") && generationId == null && path.equals(GivonApi.GENERATIONS);
    }

    /** A {@code GET} of one generation. */
    public boolean isStatusRead() {
        return method.equals("GET") && generationId != null;
    }
}
