package io.hadb.api;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param keys the keys, in ascending lexicographic order
 * @param nextStartAfter present when more keys may follow: pass it as {@code startAfter} to get
 *     the next page; empty when the listing is complete
 */
public record ListPage(List<String> keys, Optional<String> nextStartAfter) {
  public ListPage {
    keys = List.copyOf(keys);
    HadbException.requireArg(nextStartAfter, "nextStartAfter");
  }

  public boolean hasMore() {
    return nextStartAfter.isPresent();
  }
}
