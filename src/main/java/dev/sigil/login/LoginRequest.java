package dev.sigil.login;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** POST /login body. Lengths cap the work an anonymous caller can cause. */
public record LoginRequest(
        @NotNull @Size(min = 1, max = 64) String username,
        @NotNull @Size(min = 1, max = 1024) String password) {

    @Override
    public String toString() {
        return "LoginRequest[username=" + username + "]"; // never the password
    }
}
