package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every record shown in README.md and docs/*.md is one the schemas and the codecs accept. Examples are
 * the fenced {@code json} and {@code jsonc} blocks (one document each; {@code //} comments are for the
 * page) and {@code jsonl} blocks (one document per line). Each names its schema by its {@code schema}
 * field or by an HTML comment {@code <!-- schema: motion-job -->} on the line before the block; a
 * block of another language that shows a Troupe record is refused, so no example escapes the check.
 */
class DocExamplesTest {

    private static final Path ROOT = repositoryRoot();
    private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*([A-Za-z0-9_-]*)\\s*$");
    private static final Pattern DECLARED = Pattern.compile("<!--\\s*schema:\\s*([a-z-]+)\\s*-->");
    private static final Set<String> CHECKED = Set.of("json", "jsonc", "jsonl");

    private static final JobCodec JOBS = JobCodec.defaults();
    private static final JournalCodec JOURNAL = JournalCodec.defaults();
    private static final BudgetCodec BUDGET = new BudgetCodec();

    /** One document of a fenced block: where it is, what it says, and the schema it declares, if any. */
    record Example(String where, String language, String json, String declared) {
    }

    @Test
    void everyJsonExampleInTheDocsMatchesItsSchemaAndIsReadByItsCodec() throws IOException {
        List<Example> examples = examples();
        List<String> problems = new ArrayList<>();
        Set<RecordSchema> shown = EnumSet.noneOf(RecordSchema.class);
        for (Example example : examples) {
            Optional<RecordSchema> schema = schemaOf(example, problems);
            if (schema.isEmpty()) {
                continue;
            }
            shown.add(schema.get());
            RecordSchemas.errors(schema.get(), example.json())
                    .forEach(error -> problems.add(example.where() + " (" + schema.get().fileName() + "): " + error));
            codecRefusal(schema.get(), example.json()).ifPresent(reason -> problems.add(example.where() + ": the codec refuses it: " + reason));
        }

        assertThat(problems).isEmpty();
        assertThat(shown).as("every record has an example in the docs").containsExactlyInAnyOrder(RecordSchema.values());
    }

    @Test
    void noBlockOfAnotherLanguageShowsATroupeRecord() throws IOException {
        List<String> hidden = new ArrayList<>();
        for (Path file : docs()) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String language = null;
            for (int i = 0; i < lines.size(); i++) {
                Matcher fence = FENCE.matcher(lines.get(i));
                if (fence.matches()) {
                    language = language == null ? fence.group(1) : null;
                } else if (language != null && !CHECKED.contains(language) && lines.get(i).matches(".*\"schema\"\\s*:\\s*\"troupe\\..*")) {
                    hidden.add(ROOT.relativize(file) + ":" + (i + 1) + " shows a record in a ```" + language
                            + " block: make it a json or jsonl block so that it is checked");
                }
            }
        }
        assertThat(hidden).isEmpty();
    }

    @Test
    void theExtractionFindsDocumentsAndCommentsAreStripped() {
        assertThat(withoutComments("{\"a\": \"http://x//y\", // a comment\n \"b\": 1} // end"))
                .isEqualTo("{\"a\": \"http://x//y\", \n \"b\": 1} ");
        assertThat(withoutComments("{\"a\": \"q\\\"//\"}")).isEqualTo("{\"a\": \"q\\\"//\"}");
        List<Example> parsed = parse("doc.md", List.of("<!-- schema: journal -->", "```jsonl", "{\"a\":1}", "", "{\"b\":2}", "```",
                "```text", "{\"c\":3}", "```"));
        assertThat(parsed).extracting(Example::json).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(parsed).extracting(Example::declared).containsOnly("journal");
        assertThat(parsed.get(1).where()).isEqualTo("doc.md:5");
    }

    @Test
    void anExampleThatDeclaresNoKnownSchemaIsAProblem() {
        List<String> problems = new ArrayList<>();
        assertThat(schemaOf(new Example("doc.md:1", "json", "{\"jobId\":\"x\"}", null), problems)).isEmpty();
        assertThat(schemaOf(new Example("doc.md:2", "json", "{\"schema\":\"troupe.playlist/v1\"}", null), problems)).isEmpty();
        assertThat(schemaOf(new Example("doc.md:3", "json", "{}", "playlist"), problems)).isEmpty();
        assertThat(problems).hasSize(3);
        assertThat(schemaOf(new Example("doc.md:4", "json", "{\"schema\":\"troupe.budget/v1\"}", null), problems))
                .contains(RecordSchema.BUDGET);
    }

    private static Optional<RecordSchema> schemaOf(Example example, List<String> problems) {
        if (example.declared() != null) {
            Optional<RecordSchema> declared = Stream.of(RecordSchema.values())
                    .filter(s -> s.fileName().equals(example.declared() + ".schema.json")).findFirst();
            if (declared.isEmpty()) {
                problems.add(example.where() + ": declares schema '" + example.declared() + "', which is not one of "
                        + Stream.of(RecordSchema.values()).map(RecordSchema::fileName).toList());
            }
            return declared;
        }
        String id = Fixtures.json(example.json()).path("schema").asText(null);
        Optional<RecordSchema> named = RecordSchema.ofSchemaId(id);
        if (named.isEmpty()) {
            problems.add(example.where() + ": matches no schema (its \"schema\" is " + id
                    + "); give it a schema field or a <!-- schema: NAME --> line before the block");
        }
        return named;
    }

    /** Why the code that reads this record refuses the example, if it does. */
    private static Optional<String> codecRefusal(RecordSchema schema, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return switch (schema) {
            case MOTION_JOB -> JOBS.decode(bytes) instanceof DecodeResult.Decoded ? Optional.empty()
                    : Optional.of(JOBS.decode(bytes).toString());
            case JOB_RESULT -> {
                try {
                    JOBS.decodeResult(bytes);
                    yield Optional.empty();
                } catch (IllegalArgumentException e) {
                    yield Optional.of(e.getMessage());
                }
            }
            case JOURNAL -> JOURNAL.decode(bytes) instanceof JournalDecodeResult.Unreadable u ? Optional.of(u.toString()) : Optional.empty();
            case BUDGET -> BUDGET.decode(bytes) instanceof BudgetCodec.Unreadable u ? Optional.of(u.toString()) : Optional.empty();
            case CONTROL -> new ControlCodec().decode(bytes) instanceof ControlCodec.Unreadable u ? Optional.of(u.toString()) : Optional.empty();
            case PROGRESS -> new ProgressCodec().decode(bytes) instanceof ProgressCodec.Unreadable u ? Optional.of(u.toString()) : Optional.empty();
            case BATCH -> new BatchCodec().decode(bytes) instanceof BatchCodec.Descriptor ? Optional.empty()
                    : Optional.of(new BatchCodec().decode(bytes).toString());
            case BATCH_COMPLETION -> new BatchCodec().decode(bytes) instanceof BatchCodec.Completion ? Optional.empty()
                    : Optional.of(new BatchCodec().decode(bytes).toString());
            case BUDGET_REPORT, JOB_STATUS -> Optional.empty(); // written by troupe-cli; its own tests check the writer against the schema
        };
    }

    private static List<Example> examples() throws IOException {
        List<Example> examples = new ArrayList<>();
        for (Path file : docs()) {
            examples.addAll(parse(ROOT.relativize(file).toString(), Files.readAllLines(file, StandardCharsets.UTF_8)));
        }
        assertThat(examples).as("examples found in " + ROOT).hasSizeGreaterThan(10);
        return examples;
    }

    /** The directory above the module's working directory that holds the Maven wrapper and README.md. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw")) && Files.exists(dir.resolve("README.md"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (mvnw, README.md) above " + Path.of("").toAbsolutePath());
    }

    private static List<Path> docs() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        assertThat(files.get(0)).exists();
        return files;
    }

    /** The documents of the json, jsonc and jsonl blocks of one Markdown file, each with its line. */
    static List<Example> parse(String name, List<String> lines) {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches() || fence.group(1).isEmpty()) {
                continue;
            }
            String language = fence.group(1);
            String declared = null;
            for (int back = i - 1; back >= 0 && declared == null; back--) {
                if (lines.get(back).isBlank()) {
                    continue;
                }
                Matcher comment = DECLARED.matcher(lines.get(back));
                declared = comment.find() ? comment.group(1) : "";
            }
            declared = declared == null || declared.isEmpty() ? null : declared;
            int end = i + 1;
            while (end < lines.size() && !FENCE.matcher(lines.get(end)).matches()) {
                end++;
            }
            if (CHECKED.contains(language)) {
                if (language.equals("jsonl")) {
                    for (int line = i + 1; line < end; line++) {
                        if (!lines.get(line).isBlank()) {
                            examples.add(new Example(name + ":" + (line + 1), language, lines.get(line).trim(), declared));
                        }
                    }
                } else {
                    String text = String.join("\n", lines.subList(i + 1, end));
                    examples.add(new Example(name + ":" + (i + 2), language, language.equals("jsonc") ? withoutComments(text) : text,
                            declared));
                }
            }
            i = end;
        }
        return examples;
    }

    /** The text without its {@code //} comments (outside strings). */
    static String withoutComments(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    out.append(text.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
                if (i < text.length()) {
                    out.append('\n');
                }
            } else {
                out.append(c);
                inString = c == '"';
            }
        }
        return out.toString();
    }
}
