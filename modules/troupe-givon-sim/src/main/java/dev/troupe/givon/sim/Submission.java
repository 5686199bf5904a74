package dev.troupe.givon.sim;

import dev.troupe.model.GenerationInput;
import dev.troupe.model.ModelSpec;
import dev.troupe.model.Tokens;
import dev.troupe.model.Violation;
import java.util.List;

/** A POST body as read by {@link SubmissionReader}: a valid generation request, or why not. */
sealed interface Submission {

    /** The body is not a JSON object: 400. */
    record Unreadable(String message) implements Submission {
    }

    /** Valid JSON that breaks the schema: 422 with every violation. */
    record Invalid(List<Violation> violations) implements Submission {
        public Invalid {
            violations = List.copyOf(violations);
        }
    }

    /** A generation Givon would accept, with its defaults applied and its cost. */
    record Valid(ModelSpec model, GenerationInput input, Tokens cost) implements Submission {
    }
}
