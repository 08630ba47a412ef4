package dev.sigil.token;

/** A signed access token and its lifetime in seconds. */
public record AccessToken(String value, long expiresIn) {
    @Override
    public String toString() {
        return "AccessToken[expiresIn=" + expiresIn + "]"; // never the token
    }
}
