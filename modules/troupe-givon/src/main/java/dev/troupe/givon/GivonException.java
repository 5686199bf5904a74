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

    /**
     * The error a failed Givon call carries; any other throwable (a bug, not an answer from Givon) is
     * an {@link GivonError.UnexpectedResponse}, which callers treat as final.
     */
    public static GivonError errorOf(Throwable failure) {
        return failure instanceof GivonException givon ? givon.error()
                : new GivonError.UnexpectedResponse(-1, String.valueOf(failure));
    }
}
