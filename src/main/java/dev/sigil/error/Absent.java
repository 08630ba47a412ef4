package dev.sigil.error;

import java.util.function.Function;

/**
 * Absence answered at the edge, as rest-heroes does: a service says "no such thing" with a null item (or
 * false, from an operation with nothing else to return), and the resource turns it into 404 not_found with
 * its own detail, here. Services never throw not_found themselves.
 */
public final class Absent {

    private Absent() {
    }

    /** Passes a present value on; a null item or {@code false} becomes 404 with {@code detail}. */
    public static <T> Function<T, T> notFound(String detail) {
        return value -> {
            if (value == null || Boolean.FALSE.equals(value)) {
                throw new SigilException(ErrorCode.NOT_FOUND, detail);
            }
            return value;
        };
    }
}
