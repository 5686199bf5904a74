package dev.troupe.givon.sim;

import java.util.Optional;

/**
 * A test's say over the answer to each request of the generation API ({@code /api/...}), installed
 * with {@link GivonSimulator#script}. The simulator asks before doing anything else with a request
 * (before authentication, faults and validation); an empty answer lets it answer as usual.
 *
 * <pre>{@code
 * // every third status read is an HTML page from a proxy; everything else as usual
 * simulator.script(request -> request.isStatusRead() && request.sequence() % 3 == 0
 *         ? Optional.of(ScriptedAnswer.html(200, "<html>gateway</html>"))
 *         : Optional.empty());
 * }</pre>
 *
 * <p>Called on the simulator's event loop, one request at a time: it must not block, and it may
 * keep state without locking as long as only the simulator calls it.
 */
@FunctionalInterface
public interface ScriptedAnswers {

    /** No script: the simulator answers every request itself. */
    ScriptedAnswers NONE = request -> Optional.empty();

    /** The answer to send instead of the simulator's own, or empty to let the simulator answer. */
    Optional<ScriptedAnswer> answer(ApiRequest request);
}
