package dev.sigil.token;

import dev.sigil.id.ClientId;
import dev.sigil.id.SessionId;
import dev.sigil.id.TokenId;
import dev.sigil.id.UserId;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An access token that {@link AccessTokenVerifier} accepted, every claim Sigil reads already typed. The
 * ids become Redis key names, so each was parsed strictly; nothing downstream reads a raw claim again.
 */
public sealed interface VerifiedToken permits VerifiedToken.UserToken, VerifiedToken.ClientToken {

    /** All claims as the token carries them (jose4j's types), in the token's order, for introspection answers. */
    Map<String, Object> claims();

    /** {@code aud}, a string or an array in the token, as a list (never empty). */
    List<String> audience();

    TokenId jti();

    /** {@code iat}, epoch seconds. */
    long issuedAt();

    /** {@code exp}, epoch seconds. */
    long expiresAt();

    /**
     * The delegation chain of a token from token exchange (RFC 8693 section 4.1, {@code act}): the current actor
     * first, then each earlier one. Empty for a token that was not exchanged.
     */
    List<ClientId> actors();

    /** {@code may_act.sub} (RFC 8693 section 4.4): who may act for this token's subject; null without it. */
    String mayAct();

    /**
     * A user's token: {@code sub} a user id, {@code sid} its session, {@code uv} the user's version when it
     * was issued, {@code groups} its roles, and how the session's user authenticated ({@code amr}, {@code auth_time}).
     * {@code authTime} is null when the token has no {@code auth_time}. {@code scopes}: null for a token issued at
     * login (it is not scoped: the user's own authority), else the scopes an exchange left it (possibly none).
     */
    record UserToken(Map<String, Object> claims, List<String> audience, UserId user, SessionId session, TokenId jti,
                     long version, Set<String> groups, List<String> methods, Long authTime, long issuedAt, long expiresAt,
                     List<String> scopes, List<ClientId> actors, String mayAct)
            implements VerifiedToken {

        /** When this session last proved two factors: {@code auth_time} when {@code amr} is multi-factor, else null. */
        public Instant secondFactorAt() {
            return Authentication.multiFactor(methods) && authTime != null ? Instant.ofEpochSecond(authTime) : null;
        }
    }

    /**
     * A client_credentials token: {@code sub} = {@code client_id}, no {@code sid}. {@code issuedAtTicks}: the issue
     * instant its time-ordered jti carries (see TokenId#timeOrdered); {@code scopes} from {@code scope}, empty without one.
     */
    record ClientToken(Map<String, Object> claims, List<String> audience, ClientId client, TokenId jti, long issuedAtTicks,
                       List<String> scopes, long issuedAt, long expiresAt, List<ClientId> actors, String mayAct)
            implements VerifiedToken {
    }
}
