package dev.netplay.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Other hosts on this machine: network namespaces, each with one address, joined by veth pairs to a bridge in the
 * root namespace that has an address of its own (where a server listens). Every name and address is made here, in a
 * private 10.213.X.0/24 that no interface uses yet, and {@link #close()} removes them all, also after a failure.
 * Needs root and iproute2.
 */
public final class NetworkNamespaces implements AutoCloseable {
    /** 10.213.X.0/24: one private /24 per instance, X picked at random among those no interface has. */
    private static final String PREFIX = "10.213.";
    /** The first host's last octet; the bridge is .1. */
    private static final int FIRST_HOST_OCTET = 11;
    public static final int MAX_HOSTS = 200;
    private static final long COMMAND_TIMEOUT_SECONDS = 20;

    private final String tag;
    private final String subnet;
    private final List<String> namespaces = new ArrayList<>();
    private boolean bridgeMade;

    private NetworkNamespaces(String tag, String subnet) {
        this.tag = tag;
        this.subnet = subnet;
    }

    /** Why namespaces cannot be made here (not root, no {@code ip}), or null if they can. */
    public static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "network namespaces need root (user is " + System.getProperty("user.name") + ")";
        }
        try {
            Result r = run(List.of("ip", "netns", "list"));
            return r.exit == 0 ? null : "'ip netns list' failed: " + r.output;
        } catch (IOException e) {
            return "no iproute2 'ip' command: " + e.getMessage();
        }
    }

    /** {@code hosts} namespaces on one new bridge; on any failure what was made is removed and the failure thrown. */
    public static NetworkNamespaces create(int hosts) throws IOException {
        if (hosts < 1 || hosts > MAX_HOSTS) {
            throw new IllegalArgumentException("hosts " + hosts + " is out of range (expected: 1.." + MAX_HOSTS + ")");
        }
        String used = run(List.of("ip", "-o", "addr")).output;
        String subnet = null;
        for (int attempt = 0; attempt < 256 && subnet == null; attempt++) {
            String candidate = PREFIX + ThreadLocalRandom.current().nextInt(256) + ".";
            if (!used.contains(candidate)) {
                subnet = candidate;
            }
        }
        if (subnet == null) {
            throw new IOException("no free 10.213.X.0/24 subnet");
        }
        // interface names are at most 15 characters: np + 5 hex + a suffix
        String tag = "np" + Integer.toHexString(0x10000 + ThreadLocalRandom.current().nextInt(0xEFFFF));
        NetworkNamespaces n = new NetworkNamespaces(tag, subnet);
        try {
            n.ip("link", "add", n.bridge(), "type", "bridge");
            n.bridgeMade = true;
            n.ip("addr", "add", n.serverAddress().getHostAddress() + "/24", "dev", n.bridge());
            n.ip("link", "set", n.bridge(), "up");
            for (int i = 0; i < hosts; i++) {
                String ns = tag + "-h" + i;
                n.ip("netns", "add", ns);
                n.namespaces.add(ns);
                String veth = tag + "v" + i;
                n.ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
                n.ip("link", "set", veth, "master", n.bridge(), "up");
                n.ip("-n", ns, "addr", "add", n.hostAddress(i).getHostAddress() + "/24", "dev", "eth0");
                n.ip("-n", ns, "link", "set", "eth0", "up");
                n.ip("-n", ns, "link", "set", "lo", "up");
            }
            return n;
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
    }

    private String bridge() {
        return tag + "br";
    }

    /** The bridge's address, in the root namespace: where a server under test listens. */
    public InetAddress serverAddress() {
        return address(subnet + "1");
    }

    /** Host {@code i}'s own address, inside its namespace. */
    public InetAddress hostAddress(int i) {
        return address(subnet + (FIRST_HOST_OCTET + i));
    }

    /** The namespaces' names, host 0 first: what {@code ip netns exec NAME} and pdsh's {@code -w} take. */
    public List<String> names() {
        return List.copyOf(namespaces);
    }

    /** {@code command} as it runs inside host {@code i}'s namespace. */
    public List<String> inHost(int i, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespaces.get(i)));
        full.addAll(command);
        return full;
    }

    /** Runs {@code command} in host {@code i} and waits (bounded) for its exit and output. */
    public Result runInHost(int i, List<String> command) throws IOException {
        return run(inHost(i, command));
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private void ip(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Result r = run(command);
        if (r.exit != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + r.exit + "): " + r.output.strip());
        }
    }

    /** Removes the namespaces (their veth ends go with them) and the bridge; whatever fails, the rest is still tried. */
    @Override
    public void close() {
        for (String ns : namespaces) {
            try {
                run(List.of("ip", "netns", "del", ns));
            } catch (IOException e) {
                System.err.println("could not remove namespace " + ns + ": " + e.getMessage());
            }
        }
        namespaces.clear();
        if (bridgeMade) {
            try {
                run(List.of("ip", "link", "del", bridge()));
            } catch (IOException e) {
                System.err.println("could not remove bridge " + bridge() + ": " + e.getMessage());
            }
            bridgeMade = false;
        }
    }

    /** A command's exit code and its output (stdout and stderr together). */
    public record Result(int exit, String output) {
    }

    public static Result run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + command, e);
        }
    }
}
