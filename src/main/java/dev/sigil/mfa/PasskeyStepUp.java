package dev.sigil.mfa;

import dev.sigil.token.VerifiedToken.UserToken;
import dev.sigil.web.CallerAddress;
import io.smallrye.mutiny.Uni;

/**
 * Step-up with a passkey at POST /me/mfa/verify. Implemented by the passkey package (which builds on this one),
 * so that the one step-up endpoint takes a code or a passkey without a cycle between the packages.
 */
public interface PasskeyStepUp {

    /** Verifies the assertion of a step-up ceremony of the caller and upgrades its session; fails with mfa_code_rejected. */
    Uni<Void> stepUp(UserToken caller, String ceremony, String credentialJson, CallerAddress address);
}
