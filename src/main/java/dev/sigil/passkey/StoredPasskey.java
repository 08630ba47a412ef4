package dev.sigil.passkey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One row of the passkeys table. {@code id} is Sigil's id of it (the API's); {@code credentialId} the authenticator's. */
public record StoredPasskey(UUID id, UUID user, byte[] credentialId, byte[] publicKey, UUID aaguid, long signCount,
                            List<String> transports, boolean backupEligible, boolean backupState, boolean uvInitialized,
                            String name, Instant createdAt, Instant lastUsedAt) {

    @Override
    public String toString() {
        return "StoredPasskey[id=" + id + "]";
    }
}
