package dev.netplay.client.profile;

import dev.netplay.client.results.LevelResult.ProfileFigures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A window's profile files in {@code profiles/} beside the results: {@code NAME.cpu.collapsed} and
 * {@code NAME.cpu.html}, and for a JVM {@code NAME.wall.collapsed} and {@code NAME.wall.html}; and the figures read
 * from the CPU stacks.
 */
final class ProfileFiles {
    static final String DIR = "profiles";

    private ProfileFiles() {
    }

    static Path dir(Path results) throws IOException {
        return Files.createDirectories(results.resolve(DIR));
    }

    static Path file(Path dir, String name, String kind, String extension) {
        return dir.resolve(name + "." + kind + "." + extension);
    }

    /** The figures of a profile whose CPU stacks are written; {@code wall} false where none was taken. */
    static ProfileFigures figures(String engine, Path dir, String name, boolean wall, boolean javaSeen, String note)
            throws IOException {
        Path cpu = file(dir, name, "cpu", "collapsed");
        Collapsed stacks = Collapsed.read(cpu);
        boolean kernelSeen = stacks.hasKernelFrames();
        StackShares shares = StackShares.of(stacks, kernelSeen, javaSeen);
        String blind = kernelSeen || stacks.samples() == 0 ? null
                : engine + " saw no kernel frames: the scheduler's and the network's shares are unknown";
        String all = note == null ? blind : blind == null ? note : note + "; " + blind;
        if (stacks.samples() == 0) {
            all = (all == null ? "" : all + "; ") + "no CPU samples in the window";
        }
        return new ProfileFigures(engine, relative(cpu), relative(file(dir, name, "cpu", "html")),
                wall ? relative(file(dir, name, "wall", "collapsed")) : null,
                wall ? relative(file(dir, name, "wall", "html")) : null, shares.samples(), round(shares.schedulerPct()),
                round(shares.networkPct()), round(shares.gcPct()), round(shares.jitPct()), round(shares.netplayPct()),
                round(shares.otherPct()), all);
    }

    /** The file's name as results.json gives it: under profiles/, beside results.json. */
    private static String relative(Path file) {
        return DIR + "/" + file.getFileName();
    }

    private static Double round(Double pct) {
        return pct == null ? null : Math.round(pct * 10) / 10.0;
    }
}
