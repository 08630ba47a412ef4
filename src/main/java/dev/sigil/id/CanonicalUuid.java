package dev.sigil.id;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** The one accepted spelling of a UUID: lowercase hex in 8-4-4-4-12 groups, as {@link UUID#toString()} writes it. */
final class CanonicalUuid {

    private static final Pattern FORM = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private CanonicalUuid() {
    }

    /**
     * Empty for anything else. {@link UUID#fromString} alone is too lenient: it also takes upper case,
     * "1-1-1-1-1" and other short groups, each another name for the same UUID. The round trip keeps
     * this exact should the pattern and the parser ever disagree.
     */
    static Optional<UUID> parse(String text) {
        if (text == null || text.length() != 36 || !FORM.matcher(text).matches()) {
            return Optional.empty();
        }
        UUID uuid = UUID.fromString(text);
        return uuid.toString().equals(text) ? Optional.of(uuid) : Optional.empty();
    }
}
