package dev.netplay.server.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/** Which threads serve the connections of the blocking server. */
public enum ThreadMode {
    /** A new named platform thread per connection. */
    PLATFORM("threads-platform"),
    /** A new virtual thread per connection (Java 21+). */
    VIRTUAL("threads-virtual"),
    /** A fixed pool; connections beyond its size wait, accepted but unserved, like a servlet container's maxThreads. */
    POOL("threads-pool");

    /** The Java release that made virtual threads final. */
    public static final int VIRTUAL_THREADS_JAVA = 21;

    private final String modelName;

    ThreadMode(String modelName) {
        this.modelName = modelName;
    }

    /** The {@code server_model} INFO reports. */
    public String modelName() {
        return modelName;
    }

    /** Null if virtual threads can be used here, else why not. */
    public static String virtualThreadsUnavailableReason() {
        int feature = Runtime.version().feature();
        if (feature >= VIRTUAL_THREADS_JAVA) {
            return null;
        }
        return "virtual threads need Java " + VIRTUAL_THREADS_JAVA + "+; this JVM is Java "
                + System.getProperty("java.version") + " (run with a JDK 21+, e.g. set JAVA_HOME)";
    }

    /**
     * {@code Executors.newVirtualThreadPerTaskExecutor()}, looked up at run time so the project still compiles
     * for and runs on Java 17.
     */
    public static ExecutorService newVirtualThreadPerTaskExecutor() {
        String reason = virtualThreadsUnavailableReason();
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
        try {
            Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) factory.invoke(null);
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("virtual threads are not available on Java "
                    + System.getProperty("java.version") + ": " + e, e);
        }
    }

    /** Daemon platform threads named {@code prefix1}, {@code prefix2}, ...: a thread dump says whose each is. */
    public static ThreadFactory namedThreads(String prefix) {
        AtomicLong counter = new AtomicLong();
        return runnable -> {
            Thread t = new Thread(runnable, prefix + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
