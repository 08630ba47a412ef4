package dev.sigil.token;

import dev.sigil.id.SessionId;
import dev.sigil.id.TokenId;
import dev.sigil.id.UserId;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Optional;

/**
 * The identifiers of a verified access token, parsed: {@code sub}, {@code sid} and {@code jti}. A
 * correct signature says Sigil issued the token, but these values still become Redis key names, so
 * each must have exactly the format Sigil issues.
 */
public record BearerIds(UserId user, SessionId session, TokenId token) {

    /** Empty when any of the three is missing, not a string, or not in Sigil's format. */
    public static Optional<BearerIds> of(JsonWebToken jwt) {
        Optional<UserId> user = UserId.parse(jwt.getSubject());
        Optional<SessionId> session = SessionId.parse(string(jwt.getClaim("sid")));
        Optional<TokenId> token = TokenId.parse(jwt.getTokenID());
        if (user.isEmpty() || session.isEmpty() || token.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BearerIds(user.get(), session.get(), token.get()));
    }

    /** A claim that is not a JSON string (a number, an object) is no id, whatever its text. */
    private static String string(Object claim) {
        return claim instanceof String s ? s : null;
    }
}
