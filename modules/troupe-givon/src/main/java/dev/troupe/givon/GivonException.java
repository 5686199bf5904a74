package dev.troupe.givon;

import java.util.Objects;

/**
 * The failure of a Givon call, carrying a {@link GivonError} to switch on. The message is
 * {@link GivonError#describe()} and never contains the API key.
 */
public final class GivonException extends RuntimeException {

    private final transient GivonError error;

    public GivonException(GivonError error) {
        this(error, null);
    }

    public GivonException(GivonError error, Throwable cause) {
        // No stack trace: an asynchronous failure's trace shows the event loop, not the caller.
        super(Objects.requireNonNull(error, "error").describe(), cause, false, false);
        this.error = error;
    }

    public GivonError error() {
        return error;
    }
}
