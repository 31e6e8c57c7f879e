package io.hadb.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** HTTP through the {@code curl} binary, as the README's examples do it. */
final class Curl {
  private Curl() {}

  record Reply(int status, String body) {
    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  /** Runs {@code curl -s <args>} and returns the status and body. */
  static Reply run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "30", "-w", "\n%{http_code}"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(40, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("curl " + args[args.length - 1] + " did not end");
    }
    int nl = out.lastIndexOf('\n');
    if (nl < 0) {
      throw new AssertionError("curl printed no status: " + out);
    }
    return new Reply(Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, nl).trim());
  }
}
