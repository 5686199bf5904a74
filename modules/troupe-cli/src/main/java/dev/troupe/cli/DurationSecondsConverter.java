package dev.troupe.cli;

import dev.troupe.model.FieldSpec;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.ModelSpec;
import dev.troupe.model.Texts;
import picocli.CommandLine;

/**
 * Reads {@code --duration}: a whole number of seconds. A value that is not one is refused with the range
 * the default model accepts ({@code whole seconds 3..15}), read from the catalog; a whole number outside it
 * is left to the job's validation, which names the field and the range of the job's own model.
 */
public final class DurationSecondsConverter implements CommandLine.ITypeConverter<Long> {

    private static final int MAX_SHOWN = 40;

    @Override
    public Long convert(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException(rule() + ", got '" + Texts.clip(value, MAX_SHOWN) + "'");
        }
    }

    /** {@code whole seconds 3..15}, from the default model's duration field. */
    static String rule() {
        ModelSpec model = ModelCatalog.builtIn().require(ModelCatalog.DEFAULT_MODEL);
        return model.fields().stream()
                .filter(field -> field.name().equals(model.durationField()))
                .findFirst()
                .map(DurationSecondsConverter::range)
                .orElse("whole seconds");
    }

    private static String range(FieldSpec field) {
        return "whole seconds " + field.min() + ".." + field.max();
    }
}
