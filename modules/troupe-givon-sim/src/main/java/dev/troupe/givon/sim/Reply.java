package dev.troupe.givon.sim;

import java.util.Map;

/** One HTTP answer, ready to send. */
record Reply(int status, String contentType, Map<String, String> headers, byte[] body) {

    Reply {
        headers = Map.copyOf(headers);
    }
}
