package io.hadb.storeprobe;

import io.hadb.conformance.StoreProbe;

/**
 * Entry point of {@code store-probe.jar}:
 * {@code java -jar store-probe.jar [--rules L4.2,...] lease|storage <uri> [<uri> ...]}.
 *
 * <p>Everything is the kit's own {@link StoreProbe}: it opens the store and asks it one harmless
 * question first, so a URI no plug-in can open, refused credentials or a server that does not
 * answer is one clear reason and {@code verdict: NOT RUN} instead of every rule failing with the
 * same message; then it runs the kit and prints one line per rule and a final verdict. This jar
 * adds every plug-in to the class path.
 *
 * <p>Exit status: 0 every rule passed, 1 a rule failed, 2 usage error, 3 not run.
 */
public final class StoreProbeMain {
  /** Exit status when the store cannot be probed. */
  public static final int CANNOT_OPEN = StoreProbe.NOT_RUN;
  /** Exit status of a usage error. */
  public static final int USAGE = StoreProbe.USAGE;

  private StoreProbeMain() {}

  public static void main(String[] args) {
    System.exit(StoreProbe.run("java -jar store-probe.jar", args, System.out, System.err));
  }
}
