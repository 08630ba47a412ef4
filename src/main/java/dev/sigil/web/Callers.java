package dev.sigil.web;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The caller's address and user agent. The address is the connection's peer unless Quarkus' own
 * forwarded-header support is switched on for trusted proxies ({@code quarkus.http.proxy.*}); then it is
 * the leftmost X-Forwarded-For entry of a request whose peer is a trusted proxy (see docs/security.md, "Behind a proxy").
 */
public final class Callers {

    private Callers() {
    }

    public static CallerInfo of(HttpServerRequest request) {
        SocketAddress peer = request.remoteAddress();
        // From a trusted proxy, Quarkus takes the leftmost X-Forwarded-For entry as is; parse it like any input.
        CallerAddress address = peer == null ? CallerAddress.UNKNOWN
                : CallerAddress.parse(peer.hostAddress() != null ? peer.hostAddress() : peer.host());
        String ua = request.getHeader("User-Agent");
        return new CallerInfo(address, ua == null ? "" : ua);
    }
}
