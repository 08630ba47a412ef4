package dev.sigil.session;

import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;

/**
 * A request carrying the refresh cookie more than once: {@code invalid_refresh_token}, but unlike every
 * other refusal with that code the answer clears no cookie. One of the cookies may be a planted one (from
 * a sibling subdomain, say), and which one the browser would overwrite cannot be told from here.
 */
public final class DuplicateCookieException extends SigilException {

    public DuplicateCookieException() {
        super(ErrorCode.INVALID_REFRESH_TOKEN, "The request carries more than one refresh cookie; Sigil will not guess which one is meant");
    }
}
