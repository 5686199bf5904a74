package dev.troupe.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Ports on 127.0.0.1 for the broker's listeners. */
final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** Distinct ports free right now (someone may still take one before the broker binds it). */
    static int[] pick(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                // Held open together so the same port is not handed out twice.
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on the loopback interface", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // The port is released either way.
                }
            }
        }
    }

    /** Fails fast, and without the broker's own stack traces, when a chosen port is taken. */
    static void requireFree(int port) {
        try {
            new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
        } catch (IOException e) {
            throw new IllegalStateException("Embedded Kafka broker cannot listen on 127.0.0.1:" + port
                    + ": the port is taken (" + e.getMessage() + ")", e);
        }
    }
}
