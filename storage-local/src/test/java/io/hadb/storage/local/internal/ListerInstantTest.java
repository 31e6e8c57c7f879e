package io.hadb.storage.local.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page shows a directory as it was read, even when it changes before the entries are looked
 * at. The schedule is the one that made the {@code file:} lease read an existing register as
 * absent (DESIGN §3.4): a reader lists the chain of versions 1 and 2, and before it looks at the
 * names it read, other clients win versions 3 and 4 and collect 1 and 2. Dropping the names
 * deleted since gave an empty page, although the directory was never empty.
 */
class ListerInstantTest {
  private static final String CHAIN = "lease/k/";
  private static final Duration NEVER_STALE = Duration.ofDays(1);

  @TempDir Path root;
  private StorageBackend others;

  @BeforeEach
  void chainOfTwoVersions() {
    others = StorageBackends.open("file://" + root + "?fsync=false");
    others.put(version(1), new byte[] {1});
    others.put(version(2), new byte[] {2});
  }

  @AfterEach
  void close() {
    others.close();
  }

  @Test
  void the_newest_version_read_is_listed_after_others_move_on_twice_and_collect_it() throws Exception {
    Lister lister = new Lister(new ObjectLayout(root), NEVER_STALE, once(dir -> moveOnTwiceAndCollect()));

    ListPage page = lister.list(CHAIN, Optional.empty(), 1);

    assertEquals(List.of(version(2)), page.keys(), "the first key of the chain when it was read");
    assertEquals(Optional.of(version(2)), page.nextStartAfter(), "version 1 follows it in what was read");
    assertEquals(List.of(version(4), version(3)),
        new Lister(new ObjectLayout(root), NEVER_STALE).list(CHAIN, Optional.empty(), 10).keys(),
        "the next listing shows the directory as it is now");
  }

  @Test
  void a_whole_page_is_the_directory_as_read_not_a_mix_of_before_and_after() throws Exception {
    Lister lister = new Lister(new ObjectLayout(root), NEVER_STALE, once(dir -> moveOnTwiceAndCollect()));

    ListPage page = lister.list(CHAIN, Optional.empty(), 10);

    assertEquals(List.of(version(2), version(1)), page.keys());
    assertEquals(Optional.empty(), page.nextStartAfter());
  }

  @Test
  void an_entry_that_is_not_an_object_file_is_still_left_out() throws Exception {
    // A directory named like an object is foreign (hadb names its directories with '%').
    Files.createDirectory(new ObjectLayout(root).objectPath(version(3)));
    Lister lister = new Lister(new ObjectLayout(root), NEVER_STALE);

    assertEquals(List.of(version(2), version(1)), lister.list(CHAIN, Optional.empty(), 10).keys());
  }

  /** Versions 3 and 4 are won, then 1 and 2 collected (keep 2), as a fast writer does. */
  private void moveOnTwiceAndCollect() {
    others.putIfAbsent(version(3), new byte[] {3});
    others.putIfAbsent(version(4), new byte[] {4});
    others.delete(version(1));
    others.delete(version(2));
  }

  private static Consumer<Path> once(Consumer<Path> hook) {
    AtomicBoolean done = new AtomicBoolean();
    return dir -> {
      if (done.compareAndSet(false, true)) {
        hook.accept(dir);
      }
    };
  }

  /** Newest first, as the lease names its versions: {@code Long.MAX_VALUE - version}, 19 digits. */
  private static String version(long v) {
    return CHAIN + String.format("%019d", Long.MAX_VALUE - v);
  }
}
