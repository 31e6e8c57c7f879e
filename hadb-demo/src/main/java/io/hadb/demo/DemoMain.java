package io.hadb.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar hadb-demo.jar [options]} runs the demo (what {@code ./hadb demo} calls);
 * {@code java -jar hadb-demo.jar node --dir D --id ID --ttl-ms N} is one node JVM, started by it.
 * Exit 0 when no acknowledged write was lost and the replicas agree, 1 when not (or the demo
 * broke), 2 on bad arguments.
 */
public final class DemoMain {
  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    if (!a.isEmpty() && a.get(0).equals("node")) {
      DemoNode.run(Path.of(arg(a, "--dir")), arg(a, "--id"), Duration.ofMillis(Long.parseLong(arg(a, "--ttl-ms"))),
          arg(a, "--engine"));
      System.exit(0);
    }
    DemoOptions options;
    try {
      options = DemoOptions.parse(a);
    } catch (IllegalArgumentException e) {
      System.err.println("hadb demo: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      DemoResult r = new Demo(options, System.out).run();
      System.exit(r.ok() ? 0 : 1);
    } catch (Exception e) {
      System.out.flush();
      System.err.println("hadb demo: failed: " + e.getMessage());
      System.exit(1);
    }
  }

  private static String arg(List<String> a, String name) {
    int i = a.indexOf(name);
    if (i < 0 || i + 1 >= a.size()) {
      throw new IllegalArgumentException("node mode needs " + name);
    }
    return a.get(i + 1);
  }
}
