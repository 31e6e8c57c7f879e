package io.hadb.conformance;

import static io.hadb.conformance.BrokenStoreRuns.assertCaught;
import static io.hadb.conformance.BrokenStoreRuns.assertPassesAll;

import io.hadb.conformance.broken.StorageDefect;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit proves it can fail, storage half: each deliberately broken storage backend of {@code
 * io.hadb.conformance.broken} is run through the whole storage contract, and the rules expected to
 * catch its bug must fail; the correct reference backend passes every rule; race-only bugs are
 * caught {@value BrokenStoreRuns#RACE_RUNS} times in {@value BrokenStoreRuns#RACE_RUNS}. The lease
 * half is {@link BrokenLeaseStoresAreCaughtTest}.
 */
class BrokenStorageBackendsAreCaughtTest extends BrokenStoreRuns {
  static Stream<Arguments> brokenStorageBackends() {
    return Stream.of(
        Arguments.of(StorageDefect.PUT_IF_ABSENT_OVERWRITES, List.of("S2.4")),
        Arguments.of(StorageDefect.RACY_PUT_IF_ABSENT, List.of("S5.1")),
        Arguments.of(StorageDefect.LIST_IGNORES_START_AFTER, List.of("S3.2", "S3.3")),
        Arguments.of(StorageDefect.LIST_UNORDERED, List.of("S3.1")),
        Arguments.of(StorageDefect.STALE_GET_CACHE, List.of("S2.6")),
        Arguments.of(StorageDefect.LIVE_STREAM, List.of("S4.2")),
        Arguments.of(StorageDefect.SHORT_READ_PUT, List.of("S4.1")),
        Arguments.of(StorageDefect.PREFIX_BY_SEGMENT, List.of("S3.4")),
        Arguments.of(StorageDefect.TORN_WRITE, List.of("S4.3")),
        Arguments.of(StorageDefect.LAST_PAGE_SAYS_MORE, List.of("S3.6")),
        Arguments.of(StorageDefect.LIST_LIMIT_IGNORED, List.of("S3.2", "S3.6")),
        Arguments.of(StorageDefect.LOSER_REPLACES, List.of("S5.1")),
        Arguments.of(StorageDefect.PUT_IF_ABSENT_SAME_BYTES_WINS, List.of("S2.4")));
  }

  @ParameterizedTest(name = "{0} is caught by {1}")
  @MethodSource("brokenStorageBackends")
  void brokenStorageBackendIsCaught(StorageDefect defect, List<String> expectedRules) {
    ContractReport report = ContractRunner.run(ContractRunner.Kind.STORAGE, defect.scheme() + "://kit");
    assertCaught(defect.name(), report, expectedRules);
  }

  static Stream<Arguments> raceDependentDefects() {
    return Stream.of(
        Arguments.of(StorageDefect.RACY_PUT_IF_ABSENT.scheme(), "S5.1"),
        Arguments.of(StorageDefect.LOSER_REPLACES.scheme(), "S5.1"),
        Arguments.of(StorageDefect.TORN_WRITE.scheme(), "S4.3"));
  }

  /** Races too short to lose would let these pass some runs; the kit makes them long enough to lose every run. */
  @ParameterizedTest(name = "{0} is caught by {1} in every run")
  @MethodSource("raceDependentDefects")
  void raceDependentDefectIsCaughtEveryRun(String scheme, String rule) {
    BrokenStoreRuns.assertCaughtEveryRun(ContractRunner.Kind.STORAGE, scheme, rule);
  }

  @Test
  void referenceStorageBackendPassesEveryRule() {
    ContractReport report = ContractRunner.run(ContractRunner.Kind.STORAGE, StorageDefect.NONE.scheme() + "://kit");
    assertPassesAll(report, "S");
  }
}
