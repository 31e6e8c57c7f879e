package io.hadb.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Listing against a sorted-set model, over keys built from segments whose characters sort on both
 * sides of '/' ("a-b" < "a/b" < "a0"), with objects that are also prefixes of other objects, and
 * with some keys deleted again (leaving empty directories behind).
 */
class ListingPropertiesTest {
  private static final List<String> SEGMENTS = List.of("a", "a-b", "a0", "a.b", "b", "-", "0", "a+", "A");

  private Path dir;

  @BeforeTry
  void createDir() throws IOException {
    dir = Files.createTempDirectory("hadb-listing-");
  }

  @AfterTry
  void deleteDir() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.of(SEGMENTS).list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("/", l));
  }

  @Provide
  Arbitrary<String> prefixes() {
    Arbitrary<String> partial = Combinators.combine(keys(), Arbitraries.integers().between(0, 12))
        .as((k, n) -> k.substring(0, Math.min(n, k.length())))
        .filter(p -> !p.contains("//") && !p.startsWith("/"));
    return Arbitraries.oneOf(Arbitraries.just(""), keys().map(k -> k + "/"), partial);
  }

  @Property(tries = 150)
  void pages_match_a_sorted_model(
      @ForAll("keyLists") List<String> puts,
      @ForAll("keyLists") List<String> deletes,
      @ForAll("prefixes") String prefix,
      @ForAll("startAfters") Optional<String> startAfter,
      @ForAll("limits") int limit) {
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

  @Provide
  Arbitrary<List<String>> keyLists() {
    return keys().list().ofMaxSize(25);
  }

  @Provide
  Arbitrary<Optional<String>> startAfters() {
    return Arbitraries.oneOf(
        Arbitraries.just(Optional.<String>empty()),
        keys().map(Optional::of),
        keys().map(k -> Optional.of(k + "/")),
        prefixes().map(Optional::of));
  }

  @Provide
  Arbitrary<Integer> limits() {
    return Arbitraries.oneOf(Arbitraries.integers().between(1, 4), Arbitraries.just(1000));
  }
}
