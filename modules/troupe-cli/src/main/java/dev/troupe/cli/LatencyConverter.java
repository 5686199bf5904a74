package dev.troupe.cli;

import dev.troupe.model.DurationText;
import dev.troupe.givon.sim.GenerationTime;
import java.time.Duration;
import picocli.CommandLine;

/** Reads a simulated generation time: {@code 60s..120s} (median halfway) or one fixed time such as {@code 90s}. */
public final class LatencyConverter implements CommandLine.ITypeConverter<GenerationTime> {

    @Override
    public GenerationTime convert(String value) {
        try {
            int dots = value.indexOf("..");
            if (dots < 0) {
                return GenerationTime.fixed(DurationText.parse(value));
            }
            Duration min = DurationText.parse(value.substring(0, dots));
            Duration max = DurationText.parse(value.substring(dots + 2));
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("MAX must not be below MIN in " + value);
            }
            return new GenerationTime(min, min.plus(max).dividedBy(2), max);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage() + " (write MIN..MAX such as 60s..120s, or one time)");
        }
    }
}
