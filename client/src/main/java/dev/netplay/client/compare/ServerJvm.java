package dev.netplay.client.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one JVM every server model runs on, for a fair comparison, and the note saying which. Which models it can run
 * is then the server's answer ({@link ModelCatalog}), not this JVM's guess.
 *
 * @param java the {@code java} executable
 * @param note for the report: which JVM, and the load client's beside it
 */
public record ServerJvm(Path java, String note) {
    /** The Java release compare looks for when none is named: the first with virtual threads. */
    static final int PREFERRED_FEATURE = 21;

    /** {@code javaHome} if given; else a JDK {@value #PREFERRED_FEATURE}+ if one is found; else this one. */
    public static ServerJvm choose(Path javaHome) {
        if (javaHome != null) {
            Path java = javaHome.resolve("bin/java");
            if (!Files.isExecutable(java)) {
                throw new IllegalArgumentException("--server-java-home " + javaHome + " has no bin/java");
            }
            return new ServerJvm(java, "every server ran on " + javaHome + " (Java " + JdkFinder.feature(javaHome) + ")");
        }
        Optional<JdkFinder.Jdk> jdk = JdkFinder.find(PREFERRED_FEATURE);
        if (jdk.isPresent()) {
            return new ServerJvm(jdk.get().java(), "every server ran on Java " + jdk.get().feature() + " (" + jdk.get().home()
                    + "), the load client on Java " + System.getProperty("java.version"));
        }
        return new ServerJvm(Path.of(System.getProperty("java.home"), "bin", "java"), "every server ran on Java "
                + System.getProperty("java.version") + " (no JDK " + PREFERRED_FEATURE + "+ found in JAVA_HOME or /usr/lib/jvm)");
    }
}
