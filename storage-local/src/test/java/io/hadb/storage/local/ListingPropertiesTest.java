package io.hadb.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.conformance.gen.Gen;
import io.hadb.conformance.gen.Property;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Listing against a sorted-set model, over keys built from segments whose characters sort on both
 * sides of '/' ("a-b" < "a/b" < "a0"), with objects that are also prefixes of other objects, and
 * with some keys deleted again (leaving empty directories behind).
 */
class ListingPropertiesTest {
  private static final List<String> SEGMENTS = List.of("a", "a-b", "a0", "a.b", "b", "-", "0", "a+", "A");

  static Gen<String> keys() {
    return Gen.lists(Gen.of(SEGMENTS), 1, 3).map(l -> String.join("/", l));
  }

  static Gen<String> prefixes() {
    Gen<String> partial = c -> {
      String k = keys().generate(c);
      return k.substring(0, Math.min(Gen.ints(0, 12).generate(c), k.length()));
    };
    return Gen.oneOf(Gen.constant(""), keys().map(k -> k + "/"),
        partial.filter(p -> !p.contains("//") && !p.startsWith("/")));
  }

  static Gen<Optional<String>> startAfters() {
    return Gen.oneOf(
        Gen.constant(Optional.<String>empty()),
        keys().map(Optional::of),
        keys().map(k -> Optional.of(k + "/")),
        prefixes().map(Optional::of));
  }

  static Gen<Integer> limits() {
    return Gen.oneOf(Gen.ints(1, 4), Gen.constant(1000));
  }

  @Test
  void pages_match_a_sorted_model() {
    Gen<List<String>> keyLists = Gen.lists(keys(), 0, 25);
    Property.named("pages match a sorted model").tries(150).check(c -> {
      Path dir = Files.createTempDirectory("hadb-listing-");
      try {
        pagesMatch(dir, c.draw(keyLists), c.draw(keyLists), c.draw(prefixes()), c.draw(startAfters()),
            c.draw(limits()));
      } finally {
        deleteDir(dir);
      }
    });
  }

  private static void deleteDir(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void pagesMatch(Path dir, List<String> puts, List<String> deletes, String prefix,
      Optional<String> startAfter, int limit) {
    TreeSet<String> model = new TreeSet<>();
    Path root = dir.resolve("s");
    try (StorageBackend store = StorageBackends.open("file://" + root + "?fsync=false")) {
      for (String k : puts) {
        store.put(k, k.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        model.add(k);
      }
      for (String k : deletes) {
        store.delete(k);
        model.remove(k);
      }
      List<String> expected = new ArrayList<>();
      for (String k : startAfter.isPresent() ? model.tailSet(startAfter.get(), false) : model) {
        if (k.startsWith(prefix)) {
          expected.add(k);
        }
      }
      ListPage page = store.list(prefix, startAfter, limit);
      assertEquals(expected.subList(0, Math.min(limit, expected.size())), page.keys());
      assertEquals(expected.size() > limit, page.hasMore(), "hasMore");
      if (page.hasMore()) {
        assertEquals(Optional.of(expected.get(limit - 1)), page.nextStartAfter());
      }
      List<String> all = new ArrayList<>();
      Optional<String> after = startAfter;
      do {
        ListPage p = store.list(prefix, after, limit);
        all.addAll(p.keys());
        after = p.nextStartAfter();
      } while (after.isPresent());
      assertEquals(expected, all, "following every page");
    }
  }

}
