package dev.netplay.common.cli;

/** Process exit codes of every netplay command. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The run could not do what was asked (a target unreachable, a server failing to start). */
    public static final int FAILED = 1;
    /** A bad option or value, reported before anything started. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
