package dev.troupe.cli;

import dev.troupe.model.DurationText;
import java.time.Duration;
import picocli.CommandLine;

/** Reads {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1d} or {@code PT30S} from the command line. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return DurationText.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
