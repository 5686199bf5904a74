package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelCatalogTest {

    private static final String FIELDS = """
            [{"name":"prompt","kind":"TEXT","required":true,"maxCodePoints":100},
             {"name":"duration","kind":"INTEGER","default":5,"min":1,"max":10}]""";

    /** A valid one-model catalog whose model entry is {@code entry} with the given text replaced. */
    private static String catalogWith(String find, String replace) {
        String doc = """
                {"models":[{"id":"m1","type":"video","pricePerSecond":"5.5","durationField":"duration","fields":%s}]}
                """.formatted(FIELDS);
        assertThat(doc).contains(find);
        return doc.replace(find, replace);
    }

    @Test
    void builtInCatalogHoldsBothKlingMotionModels() {
        ModelCatalog catalog = ModelCatalog.builtIn();

        assertThat(catalog.ids()).containsExactly("kling-3.0-motion", "kling-2.6-motion");
        assertThat(catalog.models()).extracting(ModelSpec::type).containsOnly("video");
        assertThat(catalog.require("kling-3.0-motion").pricePerSecond()).isEqualTo(Tokens.of(7));
        assertThat(catalog.require("kling-2.6-motion").pricePerSecond()).isEqualTo(Tokens.of(8));
        assertThat(catalog.find(ModelCatalog.DEFAULT_MODEL)).isPresent();
    }

    @Test
    void builtInKlingSchemaMatchesTheDesignTable() {
        ModelSpec kling = ModelCatalog.builtIn().require("kling-3.0-motion");

        assertThat(kling.durationField()).isEqualTo("duration");
        assertThat(kling.fields()).containsExactly(
                new FieldSpec("prompt", FieldSpec.Kind.TEXT, true, null, 2500, List.of(), Long.MIN_VALUE, Long.MAX_VALUE),
                new FieldSpec("aspectRatio", FieldSpec.Kind.ENUM, false, "9:16", 0,
                        List.of("9:16", "16:9", "1:1", "4:3", "3:4"), Long.MIN_VALUE, Long.MAX_VALUE),
                new FieldSpec("duration", FieldSpec.Kind.INTEGER, false, 3L, 0, List.of(), 3, 15),
                new FieldSpec("audioEnabled", FieldSpec.Kind.BOOLEAN, false, false, 0, List.of(), Long.MIN_VALUE, Long.MAX_VALUE),
                new FieldSpec("referencePhoto", FieldSpec.Kind.IMAGE, true, null, 0, List.of(), Long.MIN_VALUE, Long.MAX_VALUE),
                new FieldSpec("motionVideo", FieldSpec.Kind.VIDEO, true, null, 0, List.of(), Long.MIN_VALUE, Long.MAX_VALUE));
        assertThat(ModelCatalog.builtIn().require("kling-2.6-motion").fields()).isEqualTo(kling.fields());
    }

    @Test
    void builtInIsLoadedOnce() {
        assertThat(ModelCatalog.builtIn()).isSameAs(ModelCatalog.builtIn());
    }

    @Test
    void requireNamesTheKnownModels() {
        assertThat(ModelCatalog.builtIn().find("kling-9")).isEmpty();
        assertThatThrownBy(() -> ModelCatalog.builtIn().require("kling-9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kling-9")
                .hasMessageContaining("kling-3.0-motion, kling-2.6-motion");
    }

    @Test
    void fromJsonReadsACustomCatalog() {
        ModelSpec model = ModelCatalog.fromJson(catalogWith("\"m1\"", "\"m1\"")).require("m1");

        assertThat(model.pricePerSecond()).isEqualTo(Tokens.parse("5.5"));
        assertThat(model.fields()).extracting(FieldSpec::name).containsExactly("prompt", "duration");
    }

    @Test
    void fixedDurationModelsNeedNoDurationField() {
        ModelCatalog catalog = ModelCatalog.fromJson("""
                {"models":[{"id":"still","type":"image","pricePerSecond":"1.5","fixedDurationSeconds":2,
                  "fields":[{"name":"prompt","kind":"TEXT","required":true}]}]}""");

        ModelSpec still = catalog.require("still");
        assertThat(still.durationField()).isNull();
        assertThat(still.fixedDurationSeconds()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"pricePerSecond\":\"5.5\"      | \"pricePerSecond\":5.5           | must be a decimal string",
            "\"pricePerSecond\":\"5.5\"      | \"pricePerSecond\":\"5.5001\"    | more than 3 decimals",
            "\"pricePerSecond\":\"5.5\"      | \"pricePerSecond\":\"five\"      | not a decimal number",
            "\"pricePerSecond\":\"5.5\"      | \"pricePerSecond\":\"-1\"        | must not be negative",
            "\"pricePerSecond\":\"5.5\",     | ''                               | pricePerSecond: is required",
            "\"type\":\"video\"              | \"type\":\"audio\"               | must be \"video\" or \"image\"",
            "\"id\":\"m1\"                   | \"id\":\"m 1\"                   | must match",
            "\"durationField\":\"duration\"  | \"durationField\":\"prompt\"     | must be INTEGER",
            "\"durationField\":\"duration\"  | \"durationField\":\"secs\"       | names no field",
            "\"durationField\":\"duration\", | ''                               | exactly one of",
            "\"durationField\":\"duration\"  | \"durationField\":\"duration\",\"fixedDurationSeconds\":5 | exactly one of",
            "\"kind\":\"TEXT\"               | \"kind\":\"STRING\"              | unknown kind 'STRING'",
            "\"maxCodePoints\":100           | \"maxCodepoints\":100            | fields[0] (prompt).maxCodepoints: unknown key",
            "\"maxCodePoints\":100           | \"maxCodePoints\":-1             | maxCodePoints: must be between",
            "\"default\":5                   | \"default\":11                   | 11 is not an accepted value",
            "\"default\":5                   | \"default\":\"5\"                | must be an integer",
            "\"min\":1                       | \"min\":20                       | greater than max",
            "\"required\":true               | \"required\":\"yes\"             | must be a boolean",
            "\"required\":true,              | \"required\":true,\"default\":\"x\", | required field never uses its default",
            "\"name\":\"duration\"           | \"name\":\"prompt\"              | duplicate field name 'prompt'",
            "\"fields\":[                    | \"fields\":[1,                   | must be an object",
            "\"type\":\"video\"              | \"type\":\"video\",\"colour\":1  | m1).colour: unknown key",
    })
    void fromJsonRejectsABrokenCatalogWithAClearMessage(String find, String replace, String expected) {
        String doc = catalogWith(find, replace);

        assertThatThrownBy(() -> ModelCatalog.fromJson(doc))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid model catalog: ")
                .hasMessageContaining(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[]", "{}", "{\"models\":[]}", "{\"models\":{}}", "{\"models\":[1]}"})
    void fromJsonRejectsDocumentsThatAreNotCatalogs(String doc) {
        assertThatThrownBy(() -> ModelCatalog.fromJson(doc))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("catalog");
    }

    @Test
    void enumFieldsNeedAllowedValuesAndADefaultAmongThem() {
        String doc = """
                {"models":[{"id":"m","type":"image","pricePerSecond":"1","fixedDurationSeconds":1,"fields":[
                  {"name":"a","kind":"ENUM"},
                  {"name":"b","kind":"ENUM","allowed":["x","y"],"default":"z"},
                  {"name":"c","kind":"ENUM","allowed":["x","x"]},
                  {"name":"d","kind":"IMAGE","default":"asset://asset_1"}]}]}""";

        assertThatThrownBy(() -> ModelCatalog.fromJson(doc))
                .hasMessageContaining("fields[0] (a).allowed: an ENUM field needs a non-empty list")
                .hasMessageContaining("fields[1] (b).default: 'z' is not one of the allowed values")
                .hasMessageContaining("fields[2] (c).allowed: value 'x' is listed twice")
                .hasMessageContaining("fields[3] (d).default: an asset field cannot have a default");
    }

    @Test
    void everyProblemOfADocumentIsReportedInOneMessage() {
        String doc = """
                {"models":[
                  {"id":"a","type":"sound","pricePerSecond":7,"durationField":"duration","fields":%s},
                  {"id":"a","type":"video","pricePerSecond":"7","durationField":"duration","fields":%s}]}
                """.formatted(FIELDS, FIELDS);

        assertThatThrownBy(() -> ModelCatalog.fromJson(doc))
                .hasMessageContaining("models[0] (a).type")
                .hasMessageContaining("models[0] (a).pricePerSecond")
                .hasMessageContaining("models[1].id: duplicate model id 'a'");
    }

    @Test
    void aDurationFieldMustAlwaysHaveAValue() {
        String doc = catalogWith("\"default\":5,", "");

        assertThatThrownBy(() -> ModelCatalog.fromJson(doc)).hasMessageContaining("needs a default (or must be required)");
    }
}
