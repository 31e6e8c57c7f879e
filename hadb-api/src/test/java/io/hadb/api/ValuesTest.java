package io.hadb.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValuesTest {

  @Test
  void versionedCopiesItsBytesAndComparesByContent() {
    byte[] v = {1, 2, 3};
    Versioned a = new Versioned(v, 7);
    v[0] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, a.value());
    a.value()[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, a.value());
    assertEquals(new Versioned(new byte[] {1, 2, 3}, 7), a);
    assertFalse(a.equals(new Versioned(new byte[] {1, 2, 3}, 8)));
    assertThrows(HadbException.class, () -> new Versioned(new byte[0], 0));
    assertThrows(HadbException.class, () -> new Versioned(null, 1));
  }

  @Test
  void casResultsAreValues() {
    assertTrue(CasResult.won(3).isWon());
    assertEquals(3, CasResult.won(3).version());
    assertFalse(CasResult.lost().isWon());
    assertThrows(IllegalStateException.class, () -> CasResult.lost().version());
  }

  @Test
  void errorCodesSayWhetherRetryHelps() {
    assertTrue(ErrorCode.UNAVAILABLE.retryable());
    assertTrue(ErrorCode.NOT_LEADER.retryable());
    assertFalse(ErrorCode.SQL_ERROR.retryable());
    assertFalse(ErrorCode.FENCED.retryable());
    HadbException e = HadbException.notLeader("node b leads", "http://127.0.0.1:8081");
    assertEquals(Optional.of("http://127.0.0.1:8081"), e.leaderHint());
    assertTrue(e.getMessage().startsWith("NOT_LEADER: "), e.getMessage());
  }

  @Test
  void listPagesAreImmutable() {
    ListPage p = new ListPage(new java.util.ArrayList<>(List.of("a")), Optional.of("a"));
    assertThrows(UnsupportedOperationException.class, () -> p.keys().add("b"));
    assertTrue(p.hasMore());
  }

  @Test
  void sharedArgumentChecksNameTheProblem() {
    HadbException big = assertThrows(HadbException.class,
        () -> LeaseStore.checkValue(new byte[LeaseStore.MAX_VALUE_BYTES + 1]));
    assertTrue(big.getMessage().contains("limit is " + LeaseStore.MAX_VALUE_BYTES), big.getMessage());
    assertThrows(HadbException.class, () -> LeaseStore.checkVersion(0));
    assertThrows(HadbException.class, () -> StorageBackend.checkLimit(0));
    assertThrows(HadbException.class, () -> StorageBackend.checkLimit(StorageBackend.MAX_LIST_LIMIT + 1));
  }
}
