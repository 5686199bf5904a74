package dev.troupe.client.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {

    @Test
    void placeholdersAreReplacedAndDoubledBracesAreLiteral() {
        PromptTemplate template = PromptTemplate.parse("{character} dances {{the}} {motion}");

        assertThat(template.render(Map.of("character", "Ada", "motion", "salsa"))).isEqualTo("Ada dances {the} salsa");
    }

    @Test
    void unknownOrUnclosedPlaceholdersAreRefusedWithTheirName() {
        assertThatThrownBy(() -> PromptTemplate.parse("{dancer} moves")).hasMessageStartingWith("unknown placeholder {dancer}");
        assertThatThrownBy(() -> PromptTemplate.parse("{character moves")).hasMessageContaining("is not closed");
        assertThatThrownBy(() -> PromptTemplate.parse("moves}")).hasMessageContaining("closes nothing");
    }
}
