package dev.troupe.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Valid jobs and inputs that tests break one field at a time. */
final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PHOTO = "asset://asset_photo_01";
    static final String VIDEO = "https://cdn.example.com/dances/salsa.mp4";
    /** 8 bytes of PNG signature. */
    static final String PNG_DATA_URI = "data:image/png;base64,iVBORw0KGgo=";
    static final String MP4_DATA_URI = "data:video/mp4;base64,AAAAGGZ0eXBtcDQy";

    private Fixtures() {
    }

    static ObjectNode validInput() {
        ObjectNode input = JSON.createObjectNode();
        input.put("prompt", "a robot dancing salsa on a rooftop");
        input.put("referencePhoto", PHOTO);
        input.put("motionVideo", VIDEO);
        return input;
    }

    static ObjectNode validJob() {
        ObjectNode job = JSON.createObjectNode();
        job.put("schema", MotionJob.SCHEMA);
        job.put("jobId", "job-1");
        job.set("input", validInput());
        return job;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
