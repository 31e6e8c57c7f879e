package io.hadb.cli.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins the Prometheus text of several databases into one exposition: each metric family once,
 * its HELP and TYPE lines first and every database's samples under them. Concatenating would
 * repeat a family's HELP and TYPE lines, which Prometheus refuses.
 */
final class PrometheusMerge {
  private PrometheusMerge() {}

  static String groupByFamily(String text) {
    Map<String, List<String>> comments = new LinkedHashMap<>();
    Map<String, List<String>> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ", 4);
        String family = parts.length > 2 ? parts[2] : "";
        List<String> c = comments.computeIfAbsent(family, k -> new ArrayList<>());
        if (c.stream().noneMatch(x -> x.startsWith(line.substring(0, 7)))) {
          c.add(line);
        }
        samples.computeIfAbsent(family, k -> new ArrayList<>());
      } else if (!line.startsWith("#")) {
        samples.computeIfAbsent(family(line, samples.keySet()), k -> new ArrayList<>()).add(line);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<String>> e : samples.entrySet()) {
      for (String c : comments.getOrDefault(e.getKey(), List.of())) {
        sb.append(c).append('\n');
      }
      for (String s : e.getValue()) {
        sb.append(s).append('\n');
      }
    }
    return sb.toString();
  }

  /** A sample's family: its name, or the known family it extends (_total, _sum, _count, _bucket). */
  private static String family(String sample, java.util.Set<String> known) {
    int end = 0;
    while (end < sample.length() && sample.charAt(end) != '{' && sample.charAt(end) != ' ') {
      end++;
    }
    String name = sample.substring(0, end);
    if (known.contains(name)) {
      return name;
    }
    for (String suffix : List.of("_total", "_sum", "_count", "_bucket")) {
      if (name.endsWith(suffix) && known.contains(name.substring(0, name.length() - suffix.length()))) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }
}
