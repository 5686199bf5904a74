package dev.troupe.worker.runner;

import dev.troupe.model.DecodeResult;
import dev.troupe.worker.consumer.JobRecord;

/** A record from the consumer thread with what decoding it gave (decoded there, admitted on the event loop). */
record DeliveredRecord(JobRecord record, DecodeResult decoded) {

    /** The same without the record's bytes, for a repeat that waits (possibly for minutes) for its job. */
    DeliveredRecord withoutPayload() {
        return new DeliveredRecord(record.withoutPayload(), decoded);
    }
}
