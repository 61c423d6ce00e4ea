package dev.netplay.client.load.plan;

import dev.netplay.common.resp.Resp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The password a server asks for ({@code --requirepass}), and where it came from: {@code env:NAME} (an environment
 * variable) or {@code file:PATH} (the file's first line, as a mounted secret holds it). Never the password itself on a
 * command line, which {@code ps} and results.json would show; only {@link #source()} is ever printed or recorded.
 */
public final class Password {
    static final String ENV = "env:";
    static final String FILE = "file:";
    /** A password longer than this is not a password file's first line but some other file. */
    static final int MAX_LENGTH = 4096;

    private final String value;
    private final String source;

    private Password(String value, String source) {
        this.value = value;
        this.source = source;
    }

    /** From {@code env:NAME} or {@code file:PATH}, naming what is wrong if neither gives one. */
    public static Password parse(String spec, Function<String, String> environment) {
        String option = "--password '" + spec + "'";
        String value;
        if (spec.startsWith(ENV)) {
            String name = spec.substring(ENV.length());
            value = name.isEmpty() ? null : environment.apply(name);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException(option + ": the environment variable " + (name.isEmpty() ? "(no name)" : name)
                        + " is not set or empty");
            }
        } else if (spec.startsWith(FILE)) {
            Path path = Path.of(spec.substring(FILE.length()));
            List<String> lines;
            try {
                lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new IllegalArgumentException(option + ": cannot read " + path + " (" + e.getMessage() + ")");
            }
            value = lines.isEmpty() ? "" : lines.get(0);
            if (value.isEmpty()) {
                throw new IllegalArgumentException(option + ": the first line of " + path + " is empty");
            }
        } else {
            throw new IllegalArgumentException(option + " is neither env:NAME nor file:PATH (a password itself is never "
                    + "taken on the command line: ps and results.json would show it)");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(option + ": " + value.length() + " characters is out of range (expected: 1.."
                    + MAX_LENGTH + ")");
        }
        return new Password(value, spec);
    }

    /** Where the password was read from: what results and logs may show. */
    public String source() {
        return source;
    }

    /** The password itself: for a server process's environment, never for a log. */
    public String reveal() {
        return value;
    }

    /** {@code AUTH password}, encoded. */
    public byte[] authCommand() {
        return Resp.command("AUTH", value);
    }

    /**
     * Logs in on a blocking connection: AUTH, then its one-line reply must be {@code +OK}.
     *
     * @throws IOException naming the server's reply (e.g. {@code -WRONGPASS ...}) if it is not
     */
    public void authenticate(OutputStream out, InputStream in) throws IOException {
        out.write(authCommand());
        out.flush();
        String reply = readLine(in);
        if (!"+OK".equals(reply)) {
            throw new IOException("the server did not take the password (" + source + "): " + reply);
        }
    }

    /** One reply line, CRLF stripped; what a simple or error reply is. */
    public static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection" + (line.isEmpty() ? "" : " after '" + line + "'"));
            }
            if (b == '\n' && !line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
                return line.substring(0, line.length() - 1);
            }
            if (line.length() > MAX_LENGTH * 2) {
                throw new IOException("a reply line longer than " + MAX_LENGTH * 2 + " bytes");
            }
            line.append((char) b);
        }
    }

    @Override
    public String toString() {
        return "Password[" + source + "]";
    }
}
