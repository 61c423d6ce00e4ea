package dev.netplay.client.profile;

import dev.netplay.client.results.LevelResult.ProfileFigures;

/**
 * Profiles a server process over one measured window ({@code compare --profile}). Never throws: a server that refuses
 * the profiler, a kernel that allows no sampling, a server that exits mid-profile, each gives a profile with a note,
 * and the run goes on.
 */
public interface WindowProfiler {

    /** Starts sampling process {@code pid}; its files are named after {@code name} (target, level and repeat). */
    Session start(long pid, String name);

    /** One window's profile, under way. */
    interface Session {
        /** Stops sampling and writes the files: the figures, or no profile and why. */
        ProfileFigures stop();
    }

    /** A profiler that takes none, and says why (a server compare did not start, say). */
    static WindowProfiler none(String why) {
        return (pid, name) -> () -> ProfileFigures.none(why);
    }
}
