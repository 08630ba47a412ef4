package dev.sigil.session;

import dev.sigil.id.SessionId;
import dev.sigil.token.AccessToken;

/** What login and refresh hand back: an access token and the session's current refresh token. */
public record TokenGrant(AccessToken accessToken, String refreshToken, long refreshMaxAgeSeconds, SessionId sessionId) {
    @Override
    public String toString() {
        return "TokenGrant[sid=" + sessionId + "]"; // never a token
    }
}
