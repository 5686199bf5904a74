package dev.troupe.cli;

/** A failure the user can act on: printed as one message (no stack trace), exits with {@link #exitCode()}. */
public final class CliFailure extends RuntimeException {

    private final int exitCode;

    public CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
