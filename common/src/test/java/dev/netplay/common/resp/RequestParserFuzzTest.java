package dev.netplay.common.resp;

import dev.netplay.common.protocol.Limits;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of the request parser (jqwik): arbitrary bytes and mutations of valid requests, cut into
 * arbitrary pieces. Nothing escapes but {@link ProtocolException}, every call makes progress (so no input can make
 * a server loop), no argument passes the limits, and how the input is cut never changes the outcome.
 * The default run is short, for CI; {@code -Djqwik.tries.default=1000000} runs a long one.
 */
class RequestParserFuzzTest {
    private static final List<String> VALID = List.of("PING\r\n", "*1\r\n$4\r\nPING\r\n", "*2\r\n$4\r\nECHO\r\n$3\r\na\rb\r\n",
            "SLEEP 100\r\n", "*2\r\n$4\r\nDATA\r\n$2\r\n10\r\n", "\r\n", "*0\r\n", "ECHO x y z\n");

    /** What parsing produced: the requests, and the error that ended it, if any. */
    record Outcome(List<List<String>> requests, String error) {
    }

    static Outcome parse(byte[] input, List<Integer> cuts) {
        RequestParser parser = new RequestParser();
        List<List<String>> requests = new ArrayList<>();
        int pos = 0;
        int cut = 0;
        try {
            while (pos < input.length) {
                int piece = Math.min(input.length - pos, Math.max(1, cuts.isEmpty() ? input.length : cuts.get(cut++ % cuts.size())));
                int end = pos + piece;
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

    @Property
    void arbitraryBytesGiveRequestsOrAProtocolErrorWhateverTheCuts(@ForAll @Size(max = 300) byte[] input,
                                                                   @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 64) Integer> cuts) {
        Outcome whole = parse(input, List.of());
        assertThat(parse(input, cuts)).isEqualTo(whole);
    }

    @Property
    void mutatedValidRequestsGiveRequestsOrAProtocolErrorWhateverTheCuts(@ForAll("mutatedRequests") byte[] input,
                                                                         @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 16) Integer> cuts) {
        Outcome whole = parse(input, List.of());
        assertThat(parse(input, cuts)).isEqualTo(whole);
        assertThat(parse(input, List.of(1))).isEqualTo(whole);
    }

    @Provide
    Arbitrary<byte[]> mutatedRequests() {
        Arbitrary<String> valid = Arbitraries.of(VALID).list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("", l));
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 1000);
        Arbitrary<Byte> junk = Arbitraries.of((byte) '\r', (byte) '\n', (byte) '*', (byte) '$', (byte) '-', (byte) '0',
                (byte) '9', (byte) ' ', (byte) 0, (byte) 0xff);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 2);
        return Combinators.combine(valid, position, junk, kind).as((text, at, b, k) -> {
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            int i = at % Math.max(1, bytes.length);
            return switch (k) {
                case 0 -> { // replace a byte
                    byte[] copy = bytes.clone();
                    copy[i] = b;
                    yield copy;
                }
                case 1 -> { // insert a byte
                    byte[] copy = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, copy, 0, i);
                    copy[i] = b;
                    System.arraycopy(bytes, i, copy, i + 1, bytes.length - i);
                    yield copy;
                }
                default -> Arrays.copyOf(bytes, i); // cut short
            };
        });
    }
}
