package dev.netplay.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/EXTENDING.md's Java is the project's own: every block of it is in the sources the build compiles. */
class ExtendingGuideTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyJavaBlockOfTheGuideIsInTheCompiledSources() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/EXTENDING.md"));
        List<String> blocks = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(guide);
        while (m.find()) {
            blocks.add(squeeze(m.group(1)));
        }
        String sources;
        try (Stream<Path> files = Stream.of("common", "server", "client").map(module -> ROOT.resolve(module).resolve("src/main/java"))
                .flatMap(ExtendingGuideTest::javaFiles)) {
            sources = files.map(ExtendingGuideTest::read).map(ExtendingGuideTest::squeeze).collect(Collectors.joining("\n"));
        }
        assertThat(blocks).as("the guide's Java blocks").hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(block -> assertThat(sources).as("the sources").contains(block));
    }

    /** The text with every run of whitespace as one space, and none after an opening or before a closing bracket. */
    private static String squeeze(String text) {
        return text.strip().replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")");
    }

    private static Stream<Path> javaFiles(Path dir) {
        try {
            return Files.walk(dir).filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
