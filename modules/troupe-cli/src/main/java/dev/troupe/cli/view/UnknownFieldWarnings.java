package dev.troupe.cli.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.troupe.model.JobCodec;
import dev.troupe.model.UnknownField;
import java.util.ArrayList;
import java.util.List;

/**
 * The warnings about a job's top-level fields that {@code troupe.motion-job/v1} does not define: the
 * workers ignore them, so a typo ({@code "tennant"}) would otherwise charge the job to the default
 * budget unnoticed. One line each, the name JSON-quoted (control characters escaped, clipped), with
 * the field it most likely meant; past {@link JobCodec#MAX_UNKNOWN_FIELDS_LISTED}, a count.
 */
public final class UnknownFieldWarnings {

    private UnknownFieldWarnings() {
    }

    /** @param where names the job for the user, e.g. {@code job.json} or {@code job 3} */
    public static List<String> of(JsonNode job, String where) {
        List<String> lines = new ArrayList<>();
        for (UnknownField field : JobCodec.unknownFields(job)) {
            lines.add("warning: unknown field " + TextNode.valueOf(field.name()) + " in " + where
                    + field.suggestion().map(meant -> " (did you mean \"" + meant + "\"?)").orElse("")
                    + "; the workers ignore it");
        }
        int more = JobCodec.unknownFieldCount(job) - lines.size();
        if (more > 0) {
            lines.add("warning: " + more + " more unknown " + (more == 1 ? "field" : "fields") + " in " + where
                    + "; known fields: " + String.join(", ", JobCodec.FIELDS));
        }
        return lines;
    }
}
