package dev.sigil.web;

import io.vertx.core.http.HttpServerRequest;

/**
 * The caller's address and user agent. The address is the connection's peer unless Quarkus' own
 * forwarded-header support is switched on for trusted proxies ({@code quarkus.http.proxy.*}).
 */
public final class Clients {

    private Clients() {
    }

    public static ClientInfo of(HttpServerRequest request) {
        String address = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
        String ua = request.getHeader("User-Agent");
        return new ClientInfo(address, ua == null ? "" : ua);
    }
}
