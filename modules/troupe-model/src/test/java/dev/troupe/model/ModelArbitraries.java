package dev.troupe.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of valid model values, shared by the codecs' property tests. */
final class ModelArbitraries {

    private ModelArbitraries() {
    }

    /** Valid jobs of the built-in catalog, as {@link JobCodec#decode} returns them (defaults applied). */
    static Arbitrary<MotionJob> jobs() {
        return Combinators.combine(ids(128), ids(128).injectNull(0.3), ids(64).injectNull(0.3),
                        Arbitraries.integers().between(-1000, 1000), metadata(), instants().injectNull(0.3),
                        Arbitraries.of(ModelCatalog.builtIn().ids()), inputs())
                .as(MotionJob::new);
    }

    static Arbitrary<String> ids(int maxLength) {
        return Arbitraries.strings().alpha().numeric().withChars("._:-").ofMinLength(1).ofMaxLength(maxLength);
    }

    /** Any characters, including ones JSON must escape and unpaired surrogates. */
    static Arbitrary<String> text() {
        return Arbitraries.strings().ofMaxLength(40);
    }

    static Arbitrary<Map<String, String>> metadata() {
        return Arbitraries.maps(text(), text()).ofMaxSize(5);
    }

    /** 2000-01-01 to 2100-01-01, to the nanosecond. */
    static Arbitrary<Instant> instants() {
        return Combinators.combine(Arbitraries.longs().between(946_684_800L, 4_102_444_800L), Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
    }

    static Arbitrary<GenerationInput> inputs() {
        Arbitrary<String> prompt = Arbitraries.strings().ofMinLength(1).ofMaxLength(200).filter(s -> !s.isBlank());
        Arbitrary<String> photo = Arbitraries.of("asset://asset_p1", "https://cdn.example.com/p.png", Fixtures.PNG_DATA_URI);
        Arbitrary<String> video = Arbitraries.of("asset://asset_v-1", "https://cdn.example.com/v.mp4", Fixtures.MP4_DATA_URI);
        return Combinators.combine(prompt, Arbitraries.of("9:16", "16:9", "1:1", "4:3", "3:4"),
                        Arbitraries.longs().between(3, 15), Arbitraries.of(true, false), photo, video)
                .as((p, ratio, seconds, audio, ref, motion) -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("prompt", p);
                    fields.put("aspectRatio", ratio);
                    fields.put("duration", seconds);
                    fields.put("audioEnabled", audio);
                    fields.put("referencePhoto", ref);
                    fields.put("motionVideo", motion);
                    return new GenerationInput(fields);
                });
    }
}
