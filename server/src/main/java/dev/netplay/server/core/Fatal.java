package dev.netplay.server.core;

/**
 * A server that met an {@link Error} it cannot recover from (out of memory, stack overflow) ends at once, with one
 * line and a non-zero exit, rather than living on without an event loop or an accept thread: a supervisor, or the
 * person who started it, then sees it gone. The launchers add {@code -XX:+ExitOnOutOfMemoryError} for the
 * OutOfMemoryErrors the JVM itself throws; this covers the rest.
 */
public final class Fatal {
    /** EX_SOFTWARE, from sysexits.h. */
    public static final int EXIT_CODE = 70;

    private Fatal() {
    }

    /** Every thread's uncaught Error ends the process; other uncaught exceptions end only their thread, as usual. */
    public static void install() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (e instanceof VirtualMachineError) {
                exit(thread, e);
            } else if (previous != null) {
                previous.uncaughtException(thread, e);
            } else {
                System.err.println("netplay: thread " + thread.getName() + " ended: " + e);
            }
        });
    }

    /** True (and the process is ending) if {@code e} is an error a server must not outlive. */
    public static boolean isFatal(Throwable e) {
        return e instanceof VirtualMachineError;
    }

    public static void exit(Thread thread, Throwable e) {
        System.err.println("netplay: fatal " + e + " in thread " + thread.getName() + "; exiting with " + EXIT_CODE);
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_CODE);
    }
}
