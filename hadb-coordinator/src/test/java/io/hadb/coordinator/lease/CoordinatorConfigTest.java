package io.hadb.coordinator.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.coordinator.Role;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Modes, roles, identities and timings are checked once, at open, with messages that say what to do. */
class CoordinatorConfigTest {
  static final LeaseTimings T = LeaseTimings.defaults();

  static CoordinatorConfig config(HaMode mode, Set<Role> roles) {
    return new CoordinatorConfig("orders", "n1", "http://127.0.0.1:8095", mode, roles, T);
  }

  @Test
  void singleWriterCandidateAndReadReplicaAreAccepted() {
    assertTrue(config(HaMode.SINGLE_WRITER, CoordinatorConfig.CANDIDATE).mayLead());
    assertFalse(config(HaMode.SINGLE_WRITER, CoordinatorConfig.READ_REPLICA).mayLead());
    assertEquals("orders/lease", config(HaMode.SINGLE_WRITER, CoordinatorConfig.CANDIDATE).leaseKey());
  }

  @Test
  void unimplementedModeIsRejectedAtOpenNamingWhatToUse() {
    HadbException e = assertThrows(HadbException.class,
        () -> config(HaMode.MULTI_WRITER, CoordinatorConfig.CANDIDATE));
    assertEquals(ErrorCode.UNSUPPORTED, e.code());
    assertTrue(e.getMessage().contains("MULTI_WRITER is not implemented") && e.getMessage().contains("SINGLE_WRITER"),
        e.getMessage());
  }

  @Test
  void unimplementedOrIncoherentRolesAreRejected() {
    expect(ErrorCode.UNSUPPORTED, "CLIENT", () -> config(HaMode.SINGLE_WRITER, Set.of(Role.CLIENT)));
    expect(ErrorCode.UNSUPPORTED, "CLIENT",
        () -> config(HaMode.SINGLE_WRITER, Set.of(Role.CLIENT, Role.FOLLOWER)));
    expect(ErrorCode.INVALID_ARGUMENT, "lack FOLLOWER", () -> config(HaMode.SINGLE_WRITER, Set.of(Role.LEADER)));
    expect(ErrorCode.INVALID_ARGUMENT, "must not be empty", () -> config(HaMode.SINGLE_WRITER, Set.of()));
    expect(ErrorCode.INVALID_ARGUMENT, "mode must not be null", () -> config(null, CoordinatorConfig.CANDIDATE));
  }

  @Test
  void identitiesAreValidated() {
    expect(ErrorCode.INVALID_ARGUMENT, "key", () -> CoordinatorConfig.candidate("bad//db", "n1", ""));
    expect(ErrorCode.INVALID_ARGUMENT, "nodeId", () -> CoordinatorConfig.candidate("db", "", ""));
    expect(ErrorCode.INVALID_ARGUMENT, "http://", () -> CoordinatorConfig.candidate("db", "n1", "ftp://x"));
    HadbException e = assertThrows(HadbException.class,
        () -> CoordinatorConfig.candidate("db", "n1", "http://user:s3cret@host:1"));
    assertTrue(e.getMessage().contains("credentials") && !e.getMessage().contains("s3cret"), e.getMessage());
    CoordinatorConfig.candidate("db", "n1", ""); // no forwarding address is allowed
  }

  @Test
  void timingsDefaultToTtlFiveSecondsAndRefuseUnsafeCombinations() {
    assertEquals(Duration.ofSeconds(5), T.ttl());
    assertEquals(Duration.ofMillis(500), T.margin());
    assertEquals(Duration.ofSeconds(5).dividedBy(3), T.renewInterval());
    assertEquals(Duration.ofMillis(4500), T.fenceAfter());
    assertEquals(Duration.ofMillis(5500), T.expiryWait(Duration.ofSeconds(1)), "own ttl when the record's is shorter");
    assertEquals(Duration.ofMillis(8500), T.expiryWait(Duration.ofSeconds(8)), "the record's ttl when longer");
    Duration s = Duration.ofSeconds(1);
    expect(ErrorCode.INVALID_ARGUMENT, "margin", () -> new LeaseTimings(s, Duration.ZERO, s.dividedBy(3), s.dividedBy(10)));
    expect(ErrorCode.INVALID_ARGUMENT, "margin", () -> new LeaseTimings(s, s.dividedBy(2), s.dividedBy(5), s.dividedBy(10)));
    expect(ErrorCode.INVALID_ARGUMENT, "renewInterval",
        () -> new LeaseTimings(s, s.dividedBy(10), s.dividedBy(2), s.dividedBy(10)));
    expect(ErrorCode.INVALID_ARGUMENT, "pollInterval", () -> new LeaseTimings(s, s.dividedBy(10), s.dividedBy(3), s.multipliedBy(2)));
    expect(ErrorCode.INVALID_ARGUMENT, "ttl", () -> LeaseTimings.ofTtl(Duration.ofMillis(50)));
    expect(ErrorCode.INVALID_ARGUMENT, "ttl", () -> LeaseTimings.ofTtl(Duration.ofHours(2)));
  }

  private static void expect(ErrorCode code, String fragment, Supplier<?> open) {
    HadbException e = assertThrows(HadbException.class, open::get);
    assertEquals(code, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
