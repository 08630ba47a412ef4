package dev.sigil.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports that nothing listens on now, chosen by the OS: no fixed ports, so parallel test runs never collide.
 * The one helper for every test that starts a server of its own (redis-server, a relay, a prod process).
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** One free port. Start the server on it before asking for the next, or ask for {@link #distinct} at once. */
    public static int one() {
        return distinct(1)[0];
    }

    /** {@code n} different free ports, all held open together while chosen, so none is handed out twice. */
    public static int[] distinct(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                s.setReuseAddress(true);
                sockets.add(s);
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a socket that only reserved a number
                }
            }
        }
    }
}
