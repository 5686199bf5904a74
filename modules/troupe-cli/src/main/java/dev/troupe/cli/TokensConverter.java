package dev.troupe.cli;

import dev.troupe.model.Tokens;
import picocli.CommandLine;

/** Reads a token amount from the command line: {@code 500} or {@code 52.5}, exactly. */
public final class TokensConverter implements CommandLine.ITypeConverter<Tokens> {

    @Override
    public Tokens convert(String value) {
        try {
            return Tokens.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
