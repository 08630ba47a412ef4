package dev.sigil.web;

/** Where a request came from, as shown in the sessions list and audit lines. */
public record ClientInfo(String address, String userAgent) {
}
