package dev.netplay.common.resp;

import dev.netplay.common.protocol.Requests;

import org.junit.jupiter.api.Tag;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.netplay.common.limits.Limits;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the request parser with Jazzer: arbitrary bytes, cut into arbitrary pieces. Nothing
 * escapes but {@link ProtocolException}, every call makes progress (so no input can make a server loop), no
 * argument passes the limits, and how the input is cut never changes the outcome.
 *
 * <p>{@code mvn verify} replays the inputs in {@code src/test/resources/.../RequestParserFuzzTestInputs}; with
 * {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration} (CI runs that); raise it for a long run.
 */
@Tag("full") // a long test: mvn -B verify -Pfull
class RequestParserFuzzTest {
    /** What parsing produced: the requests, and the error that ended it, if any. */
    record Outcome(List<List<String>> requests, String error) {
    }

    static Outcome parse(byte[] input, int[] cuts) {
        RequestParser parser = new RequestParser(Requests.COMMAND_NAMES); // as every server parses
        List<List<String>> requests = new ArrayList<>();
        int pos = 0;
        int cut = 0;
        try {
            while (pos < input.length) {
                int piece = cuts.length == 0 ? input.length : Math.max(1, cuts[cut++ % cuts.length]);
                int end = Math.min(input.length, pos + piece);
                while (pos < end) {
                    int consumed = parser.feed(input, pos, end - pos);
                    List<byte[]> request = parser.poll();
                    assertThat(consumed).as("progress").isPositive();
                    pos += consumed;
                    if (request != null) {
                        assertThat(request).hasSizeBetween(1, Limits.MAX_ARGUMENTS);
                        List<String> words = new ArrayList<>();
                        for (byte[] arg : request) {
                            assertThat(arg.length).isLessThanOrEqualTo(Math.max(Limits.MAX_BULK_BYTES, Limits.MAX_INLINE_BYTES));
                            words.add(new String(arg, StandardCharsets.ISO_8859_1));
                        }
                        requests.add(words);
                    }
                }
            }
            return new Outcome(requests, null);
        } catch (ProtocolException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\r", "\n");
            return new Outcome(requests, e.getMessage());
        }
    }

    @FuzzTest(maxDuration = "30s")
    void anyInputGivesRequestsOrAProtocolErrorWhateverTheCuts(FuzzedDataProvider data) {
        int[] cuts = new int[data.consumeInt(0, 8)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(1, 64);
        }
        byte[] input = data.consumeRemainingAsBytes();
        Outcome whole = parse(input, new int[0]);
        assertThat(parse(input, cuts)).isEqualTo(whole);
        assertThat(parse(input, new int[] {1})).isEqualTo(whole);
    }
}
