package dev.netplay.client.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds a JDK of at least a given feature release: this JVM, $JAVA_HOME, or one under /usr/lib/jvm. */
final class JdkFinder {
    private static final Pattern VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");
    private static final Path JVM_DIR = Path.of("/usr/lib/jvm");

    record Jdk(Path home, int feature) {
        Path java() {
            return home.resolve("bin").resolve("java");
        }
    }

    private JdkFinder() {
    }

    static Optional<Jdk> find(int minFeature) {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(System.getProperty("java.home")));
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            candidates.add(Path.of(javaHome));
        }
        if (Files.isDirectory(JVM_DIR)) {
            try (Stream<Path> dirs = Files.list(JVM_DIR)) {
                dirs.sorted().forEach(candidates::add);
            } catch (IOException e) {
                // no other JDKs to offer
            }
        }
        Jdk best = null;
        for (Path home : candidates) {
            int feature = feature(home);
            if (feature >= minFeature && Files.isExecutable(home.resolve("bin/java")) && (best == null || feature > best.feature())) {
                best = new Jdk(home, feature);
            }
        }
        return Optional.ofNullable(best);
    }

    /** The feature release from the JDK's {@code release} file; -1 if unknown. */
    static int feature(Path home) {
        if (home.equals(Path.of(System.getProperty("java.home")))) {
            return Runtime.version().feature();
        }
        try {
            Matcher m = VERSION.matcher(Files.readString(home.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
