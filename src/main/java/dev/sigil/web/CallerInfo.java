package dev.sigil.web;

/** Where a request came from, as shown in the sessions list and audit lines; the address is already canonical. */
public record CallerInfo(CallerAddress address, String userAgent) {
}
