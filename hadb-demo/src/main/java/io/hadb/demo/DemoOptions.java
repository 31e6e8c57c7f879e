package io.hadb.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code ./hadb demo} accepts.
 *
 * @param dir where the chain, the lease and the three copies go; null = a temp directory,
 *     removed afterwards
 * @param ttl the lease ttl (the default timings: 5 s); failover takes about ttl + ttl/10 + ttl/10
 * @param writesPerNode transfers sent through each live node in each phase (before and after the kill)
 * @param dropAckedRow negative control: delete one acknowledged transfer from one surviving
 *     replica's file behind the cluster's back, so the check must report it
 * @param engine the database engine of the three nodes: sqlite or duckdb
 */
record DemoOptions(Path dir, Duration ttl, int writesPerNode, boolean dropAckedRow, String engine) {
  static final List<String> ENGINES = List.of("sqlite", "duckdb");

  DemoOptions(Path dir, Duration ttl, int writesPerNode, boolean dropAckedRow) {
    this(dir, ttl, writesPerNode, dropAckedRow, "sqlite");
  }

  static final String USAGE = """
      usage: ./hadb demo [--dir DIR] [--ttl-ms N] [--writes N] [--drop-acked-row] [--engine sqlite|duckdb]
        --dir DIR          keep the cluster's files in DIR (default: a temp directory, removed at the end)
        --ttl-ms N         lease ttl in ms (default 5000, the library default; 100-3600000)
        --writes N         transfers through each live node before and after the kill (default 30, 1-100000)
        --drop-acked-row   negative control: delete one acknowledged row on one replica; the demo must fail
        --engine NAME      the nodes' database engine, sqlite (default) or duckdb""";

  static DemoOptions defaults() {
    return new DemoOptions(null, Duration.ofSeconds(5), 30, false);
  }

  /** Parses the arguments after {@code demo}; a bad one fails with a message naming it. */
  static DemoOptions parse(List<String> args) {
    DemoOptions o = defaults();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--dir" -> o = new DemoOptions(Path.of(value(args, ++i, a)), o.ttl, o.writesPerNode, o.dropAckedRow,
            o.engine);
        case "--ttl-ms" -> o = new DemoOptions(o.dir, Duration.ofMillis(number(args, ++i, a, 100, 3_600_000)),
            o.writesPerNode, o.dropAckedRow, o.engine);
        case "--writes" -> o = new DemoOptions(o.dir, o.ttl, (int) number(args, ++i, a, 1, 100_000), o.dropAckedRow,
            o.engine);
        case "--drop-acked-row" -> o = new DemoOptions(o.dir, o.ttl, o.writesPerNode, true, o.engine);
        case "--engine" -> {
          String e = value(args, ++i, a);
          if (!ENGINES.contains(e)) {
            throw new IllegalArgumentException("--engine must be one of " + ENGINES + ", was '" + e + "'");
          }
          o = new DemoOptions(o.dir, o.ttl, o.writesPerNode, o.dropAckedRow, e);
        }
        default -> throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
      }
    }
    if (o.dropAckedRow && o.engine.equals("duckdb")) {
      throw new IllegalArgumentException("--drop-acked-row needs --engine sqlite: a DuckDB node's readers never see"
          + " its file changed under their open instance, and the node rebuilds such a file from the chain");
    }
    return o;
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args.get(i);
  }

  private static long number(List<String> args, int i, String option, long min, long max) {
    String v = value(args, i, option);
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a number, was '" + v + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(option + " must be " + min + "-" + max + ", was " + n);
    }
    return n;
  }
}
