package dev.netplay.client.profile;

/** A JVM that does nothing for a while: something for the profiler to attach to in tests. */
public final class Sleeper {
    private Sleeper() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.parseLong(args[0]));
    }
}
