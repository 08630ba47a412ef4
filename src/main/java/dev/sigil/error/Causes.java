package dev.sigil.error;

import java.util.stream.Stream;

/** Walks a cause chain once, the same way everywhere (stopping at a self-referencing cause). */
public final class Causes {

    private Causes() {
    }

    /** {@code e}, its cause, its cause's cause, ... */
    public static Stream<Throwable> chain(Throwable e) {
        return Stream.iterate(e, t -> t != null, t -> t.getCause() == t ? null : t.getCause());
    }

    /** The first throwable of {@code type} in the chain, or null. */
    public static <T extends Throwable> T find(Throwable e, Class<T> type) {
        return chain(e).filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }

    /** The last throwable of the chain. */
    public static Throwable root(Throwable e) {
        return chain(e).reduce((a, b) -> b).orElse(e);
    }
}
