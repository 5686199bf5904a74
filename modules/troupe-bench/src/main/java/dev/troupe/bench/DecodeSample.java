package dev.troupe.bench;

/**
 * How long {@code JobCodec.defaults().decode(bytes)} took for one record, call by call after warm-up.
 *
 * @param outcome what the codec made of it: valid, invalid (a REJECTED result or a dead letter) or unreadable
 */
record DecodeSample(String record, int bytes, String outcome, int calls, double medianMicros, double p99Micros,
        double maxMicros) {
}
