package dev.troupe.cli.budget;

import java.time.Instant;
import java.util.Objects;

/**
 * The Givon account's hold as {@code troupe budget} reports it: the one of the {@code HOLD} records read
 * from {@code troupe.budget} that ends latest. The workers hold every submission until {@code until}.
 *
 * @param until  the record's broker time plus its {@code holdMillis}
 * @param active whether the hold was still running when the report was taken
 * @param jobId  the job whose submission Givon refused for want of credit
 * @param reason what Givon said, as the codec bounded it (at most 200 characters and a length note);
 *               not yet made safe for a terminal
 */
public record AccountHold(Instant until, boolean active, String jobId, String reason) {

    public AccountHold {
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(reason, "reason");
    }
}
