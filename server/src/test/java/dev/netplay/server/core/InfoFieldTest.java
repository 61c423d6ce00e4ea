package dev.netplay.server.core;

import dev.netplay.common.protocol.InfoText;

import dev.netplay.common.protocol.InfoField;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** INFO's catalogue: what the server writes is exactly what the load client can read, by the same constants. */
class InfoFieldTest {
    private final ServerSettings settings = new ServerSettings("netty", "nio", 2, 0, ServerSettings.SLEEP_TIMER, 100);
    private final ServerStats stats = new ServerStats();

    @Test
    void infoEverythingWritesEveryFieldOfTheCatalogueInItsSectionAndOrder() {
        Map<String, Map<String, String>> sections = InfoReport.sections(settings, stats, true);
        assertThat(sections.keySet()).containsExactlyElementsOf(
                Arrays.stream(InfoField.Section.values()).map(InfoField.Section::title).toList());
        for (InfoField.Section section : InfoField.Section.values()) {
            assertThat(sections.get(section.title()).keySet()).as(section.title())
                    .containsExactlyElementsOf(section.fields().stream().map(InfoField::key).toList());
        }
        Map<String, String> parsed = InfoText.parse(InfoReport.render(settings, stats, "everything"));
        assertThat(parsed.keySet()).containsExactlyElementsOf(Arrays.stream(InfoField.values()).map(InfoField::key).toList());
    }

    @Test
    void theDefaultInfoLeavesTheSchedulerOutAsRedisLeavesItsCostlySectionsOut() {
        Map<String, String> parsed = InfoText.parse(InfoReport.render(settings, stats, null));
        assertThat(parsed).doesNotContainKey(InfoField.SCHED_THREADS.key()).containsKey(InfoField.PROCESS_CPU_NS.key());
    }

    @Test
    void everyNumericFieldIsAnIntegerAndEveryTextFieldIsOnOneLine() {
        Map<String, String> parsed = InfoText.parse(InfoReport.render(settings, stats, "everything"));
        for (InfoField field : InfoField.values()) {
            String value = field.in(parsed);
            switch (field.unit()) {
                case TEXT, HISTOGRAM -> assertThat(value).as(field.key()).doesNotContain("\r", "\n");
                case COUNT, BYTES, NANOSECONDS, MICROSECONDS, MILLISECONDS ->
                        assertThat(value).as(field.key()).matches("-?[0-9]+");
            }
        }
    }

    @Test
    void aFieldReadsAsUnknownWhereAbsentNegativeOrNotANumber() {
        assertThat(InfoField.RSS_BYTES.number(Map.of("rss_bytes", "12"))).isEqualTo(12L);
        assertThat(InfoField.RSS_BYTES.number(Map.of("rss_bytes", "-1"))).isNull();
        assertThat(InfoField.RSS_BYTES.number(Map.of("rss_bytes", "x"))).isNull();
        assertThat(InfoField.RSS_BYTES.number(Map.of())).isNull();
        assertThat(InfoField.RSS_BYTES.number(null)).isNull();
    }

    /** docs/PROTOCOL.md's INFO table names every field. */
    @Test
    void everyFieldIsDocumentedInTheProtocolDocument() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "PROTOCOL.md"));
        List<String> missing = Arrays.stream(InfoField.values()).map(InfoField::key)
                .filter(k -> !doc.contains("`" + k + "`")).toList();
        assertThat(missing).as("INFO fields missing from docs/PROTOCOL.md").isEmpty();
    }
}
