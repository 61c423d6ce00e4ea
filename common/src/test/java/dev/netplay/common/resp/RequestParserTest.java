package dev.netplay.common.resp;

import dev.netplay.common.limits.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestParserTest {
    /** How the input reaches the parser. */
    enum Feeding {
        WHOLE, ONE_BYTE_AT_A_TIME, SPLIT_INSIDE_EVERY_CRLF,
        /** Whole, through a {@link ByteSource} whose indexes are not the array's (as a ByteBuf's reader index). */
        SOURCE_AT_AN_OFFSET;

        /** The input cut into the pieces that arrive one after another. */
        List<byte[]> pieces(byte[] input) {
            List<byte[]> pieces = new ArrayList<>();
            switch (this) {
                case WHOLE, SOURCE_AT_AN_OFFSET -> pieces.add(input);
                case ONE_BYTE_AT_A_TIME -> {
                    for (byte b : input) {
                        pieces.add(new byte[] {b});
                    }
                }
                case SPLIT_INSIDE_EVERY_CRLF -> {
                    int start = 0;
                    for (int i = 0; i < input.length; i++) {
                        if (input[i] == '\r') {
                            pieces.add(Arrays.copyOfRange(input, start, i + 1));
                            start = i + 1;
                        }
                    }
                    pieces.add(Arrays.copyOfRange(input, start, input.length));
                }
            }
            return pieces;
        }
    }

    private static final int SHIFT = 1000;

    /** {@code bytes} seen at indexes shifted by {@code shift}: a source that is not the array itself. */
    private record Shifted(byte[] bytes, int shift) implements ByteSource {
        @Override
        public byte get(int index) {
            return bytes[index - shift];
        }

        @Override
        public int indexOfNewline(int from, int to) {
            for (int i = from; i < to; i++) {
                if (get(i) == '\n') {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public void copyTo(int index, byte[] dst, int dstIndex, int length) {
            System.arraycopy(bytes, index - shift, dst, dstIndex, length);
        }
    }

    /** Words the parser shares, as the servers' parsers share command names: results must not tell them apart. */
    private static final RequestParser.Vocabulary WORDS = RequestParser.Vocabulary.of(List.of("PING", "ping", "ECHO", "SLEEP"));

    /** Parses everything; asserts every byte was consumed and that no request is left half-read. */
    private static List<List<String>> parse(Feeding feeding, byte[] input) throws ProtocolException {
        RequestParser parser = new RequestParser(WORDS);
        List<List<String>> requests = new ArrayList<>();
        for (byte[] piece : feeding.pieces(input)) {
            int off = 0;
            while (off < piece.length) {
                off += feeding == Feeding.SOURCE_AT_AN_OFFSET
                        ? parser.feed(new Shifted(piece, SHIFT), SHIFT + off, piece.length - off)
                        : parser.feed(piece, off, piece.length - off);
                List<byte[]> request = parser.poll();
                if (request != null) {
                    List<String> words = new ArrayList<>();
                    request.forEach(arg -> words.add(new String(arg, StandardCharsets.ISO_8859_1)));
                    requests.add(words);
                }
            }
        }
        assertThat(parser.isIdle()).as("nothing left over").isTrue();
        return requests;
    }

    private static List<List<String>> parse(Feeding feeding, String input) throws ProtocolException {
        return parse(feeding, input.getBytes(StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void multibulkRequestsAreParsedIntoTheirArguments(Feeding feeding) throws Exception {
        assertThat(parse(feeding, "*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n*1\r\n$4\r\nPING\r\n"))
                .containsExactly(List.of("ECHO", "hello"), List.of("PING"));
    }

    /** Inline requests split as Redis's sdssplitargs splits them, however the bytes arrive. */
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void inlineRequestsAreSplitAsRedisSplitsThem(Feeding feeding) throws Exception {
        assertThat(parse(feeding, "ECHO \"hello world\"\r\n")).containsExactly(List.of("ECHO", "hello world"));
        assertThat(parse(feeding, "ECHO 'it\\'s' \"a\\x41\\n\\q\"\r\n")).containsExactly(List.of("ECHO", "it's", "aA\nq"));
        assertThat(parse(feeding, "ECHO \"\" x\"y z\"\r\n")).containsExactly(List.of("ECHO", "", "xy z"));
        assertThat(parse(feeding, "  PING \t \r\n")).containsExactly(List.of("PING"));
        for (String unbalanced : List.of("ECHO \"open\r\n", "ECHO 'open\r\n", "ECHO \"a\"b\r\n", "ECHO 'a'b\r\n")) {
            assertThatThrownBy(() -> parse(feeding, unbalanced)).as(unbalanced).isInstanceOf(ProtocolException.class)
                    .hasMessage("unbalanced quotes in request");
        }
    }

    /** Before the password: Redis's bounds on a client that has not authenticated, then none once it has. */
    @Test
    void anUnauthenticatedClientIsBoundedAsRedisBoundsIt() throws Exception {
        RequestParser parser = new RequestParser();
        parser.unauthenticated(true);
        assertThatThrownBy(() -> parseRaw(parser, "*11\r\n".getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("unauthenticated multibulk length");
        RequestParser bulk = new RequestParser();
        bulk.unauthenticated(true);
        assertThatThrownBy(() -> parseRaw(bulk, "*1\r\n$16385\r\n".getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("unauthenticated bulk length");
        RequestParser atTheBound = new RequestParser();
        atTheBound.unauthenticated(true);
        String echo = "*2\r\n$4\r\nECHO\r\n$16384\r\n" + "x".repeat(16_384) + "\r\n";
        assertThat(parseRaw(atTheBound, echo.getBytes(StandardCharsets.US_ASCII))).hasSize(1);
        atTheBound.unauthenticated(false);
        assertThat(parseRaw(atTheBound, "*11\r\n".getBytes(StandardCharsets.US_ASCII))).isEmpty(); // 11 arguments may follow
    }

    @Test
    void aCommandNameReceivedWholeIsSharedAndARequestOfItAloneIsOneSharedList() throws Exception {
        byte[] input = "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$4\r\nPING\r\n*1\r\n$4\r\nPing\r\n*1\r\n$4\r\nping\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        List<List<byte[]>> first = parseRaw(new RequestParser(WORDS), input);
        List<List<byte[]>> second = parseRaw(new RequestParser(WORDS), input);
        assertThat(first).hasSize(4);
        assertThat(second.get(0)).as("PING alone").isSameAs(first.get(0));
        assertThat(second.get(1).get(0)).as("ECHO's name").isSameAs(first.get(1).get(0));
        assertThat(second.get(1).get(1)).as("an argument after the name: a copy").isNotSameAs(first.get(1).get(1));
        assertThat(second.get(2).get(0)).as("a case not in the vocabulary: a copy").isNotSameAs(first.get(2).get(0));
        assertThat(second.get(3)).as("ping alone").isSameAs(first.get(3)).isNotSameAs(first.get(0));
        List<List<byte[]>> plain = parseRaw(new RequestParser(), input);
        assertThat(plain.get(0)).isNotSameAs(first.get(0));
        for (int i = 0; i < 4; i++) {
            for (int a = 0; a < first.get(i).size(); a++) {
                assertThat(first.get(i).get(a)).isEqualTo(plain.get(i).get(a));
            }
        }
    }

    private static List<List<byte[]>> parseRaw(RequestParser parser, byte[] input) throws ProtocolException {
        List<List<byte[]>> requests = new ArrayList<>();
        int off = 0;
        while (off < input.length) {
            off += parser.feed(input, off, input.length - off);
            List<byte[]> request = parser.poll();
            if (request != null) {
                requests.add(request);
            }
        }
        return requests;
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void bulkStringsAreBinarySafe(Feeding feeding) throws Exception {
        assertThat(parse(feeding, "*2\r\n$4\r\nECHO\r\n$6\r\na\r\nb\0c\r\n"))
                .containsExactly(List.of("ECHO", "a\r\nb\0c"));
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void emptyBulkStringIsAnArgument(Feeding feeding) throws Exception {
        assertThat(parse(feeding, "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n")).containsExactly(List.of("ECHO", ""));
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void inlineRequestsSplitOnSpacesWithOrWithoutCr(Feeding feeding) throws Exception {
        assertThat(parse(feeding, "SLEEP  500\r\necho\thi there\nPING\r\n"))
                .containsExactly(List.of("SLEEP", "500"), List.of("echo", "hi", "there"), List.of("PING"));
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void emptyLinesAndEmptyMultibulksAreIgnored(Feeding feeding) throws Exception {
        assertThat(parse(feeding, "\r\n\n   \r\n*0\r\n*-1\r\n*-5\r\nPING\r\n")).containsExactly(List.of("PING"));
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void inlineLineAtTheLimitIsAcceptedAndOnePastItIsAnError(Feeding feeding) throws Exception {
        String atLimit = "ECHO " + "x".repeat(Limits.MAX_INLINE_BYTES - 5);
        assertThat(parse(feeding, atLimit + "\r\n")).hasSize(1);
        assertThatThrownBy(() -> parse(feeding, atLimit + "x\r\n"))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("inline request too long (expected: <= 65536 bytes)");
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void inlineLineWithoutNewlineFailsOnceItPassesTheLimit(Feeding feeding) {
        RequestParser parser = new RequestParser();
        byte[] endless = "x".repeat(Limits.MAX_INLINE_BYTES + 2).getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> {
            for (byte[] piece : feeding.pieces(endless)) {
                parser.feed(piece, 0, piece.length);
            }
        }).isInstanceOf(ProtocolException.class).hasMessageContaining("too long");
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void bulkAtTheLimitIsAcceptedAndOnePastItIsAnError(Feeding feeding) throws Exception {
        if (feeding == Feeding.ONE_BYTE_AT_A_TIME) {
            feeding = Feeding.SPLIT_INSIDE_EVERY_CRLF; // a MiB byte by byte proves nothing more, slowly
        }
        String payload = "y".repeat(Limits.MAX_BULK_BYTES);
        List<List<String>> requests = parse(feeding, "*2\r\n$4\r\nECHO\r\n$1048576\r\n" + payload + "\r\n");
        assertThat(requests.get(0).get(1)).hasSize(Limits.MAX_BULK_BYTES);
        Feeding f = feeding;
        assertThatThrownBy(() -> parse(f, "*2\r\n$4\r\nECHO\r\n$1048577\r\n"))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("invalid bulk length: '1048577' (expected: 0..1048576)");
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void argumentCountAtTheLimitIsAcceptedAndOnePastItIsAnError(Feeding feeding) throws Exception {
        StringBuilder request = new StringBuilder("*1024\r\n");
        request.append("$4\r\nECHO\r\n".repeat(Limits.MAX_ARGUMENTS));
        assertThat(parse(feeding, request.toString()).get(0)).hasSize(Limits.MAX_ARGUMENTS);
        assertThatThrownBy(() -> parse(feeding, "*1025\r\n"))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("invalid multibulk length: '1025' (expected: 0..1024)");
        String words = "a ".repeat(Limits.MAX_ARGUMENTS);
        assertThat(parse(feeding, words + "\r\n").get(0)).hasSize(Limits.MAX_ARGUMENTS);
        assertThatThrownBy(() -> parse(feeding, words + "b\r\n"))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("too many arguments (expected: <= 1024)");
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void countsAndLengthsWithLeadingZerosOrABareLineFeedReadAlikeWholeOrCut(Feeding feeding) throws Exception {
        // Whole lines of digits are read in place, anything else through the line buffer: both must agree.
        assertThat(parse(feeding, "*01\r\n$04\r\nPING\r\n")).containsExactly(List.of("PING"));
        assertThat(parse(feeding, "*1\n$4\nPING\r\n")).containsExactly(List.of("PING"));
        assertThat(parse(feeding, "*2\r\n$0\r\n\r\n$1\r\nx\r\n")).containsExactly(List.of("", "x"));
        assertThat(parse(feeding, "*000000000000000001\r\n$1\r\ny\r\n")).containsExactly(List.of("y"));
        assertThatThrownBy(() -> parse(feeding, "*0000000000000000001\r\n")).hasMessageStartingWith("invalid multibulk length");
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void malformedFramingNamesWhatIsWrong(Feeding feeding) {
        assertThatThrownBy(() -> parse(feeding, "*x\r\n")).hasMessage("invalid multibulk length: 'x' (expected: 0..1024)");
        assertThatThrownBy(() -> parse(feeding, "*1\r\n$-1\r\n")).hasMessage("invalid bulk length: '-1' (expected: 0..1048576)");
        assertThatThrownBy(() -> parse(feeding, "*1\r\n$abc\r\n")).hasMessage("invalid bulk length: 'abc' (expected: 0..1048576)");
        assertThatThrownBy(() -> parse(feeding, "*1\r\n+PING\r\n")).hasMessage("expected '$', got '+'");
        assertThatThrownBy(() -> parse(feeding, "*1\r\n$4\r\nPINGxy")).hasMessage("expected CRLF after bulk string, got 'x'");
        assertThatThrownBy(() -> parse(feeding, "*1\r\n$4\r\nPING\rx")).hasMessage("expected CRLF after bulk string, got 'x'");
        assertThatThrownBy(() -> parse(feeding, "*99999999999999999999\r\n")).hasMessageStartingWith("invalid multibulk length");
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void announcedBulkWaitsForItsBytes(Feeding feeding) throws Exception {
        RequestParser parser = new RequestParser();
        byte[] header = "*2\r\n$4\r\nECHO\r\n$1048576\r\nabc".getBytes(StandardCharsets.US_ASCII);
        for (byte[] piece : feeding.pieces(header)) {
            assertThat(parser.feed(piece, 0, piece.length)).isEqualTo(piece.length);
        }
        assertThat(parser.poll()).isNull();
        assertThat(parser.isIdle()).isFalse();
    }

    @Test
    void parserStopsAfterEachRequestSoTheRestCanWait() throws Exception {
        RequestParser parser = new RequestParser();
        byte[] input = "PING\r\nSLEEP 1\r\n".getBytes(StandardCharsets.US_ASCII);
        int consumed = parser.feed(input, 0, input.length);
        assertThat(consumed).isEqualTo(6);
        assertThat(parser.poll()).hasSize(1);
        assertThatThrownBy(() -> {
            parser.feed(input, 0, input.length);
            parser.feed(input, 0, input.length);
        }).isInstanceOf(IllegalStateException.class);
    }
}
