package io.hadb.conformance.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.HadbException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** A racer's failure says who raised it: the kit (a finding), a timeout, or the store. */
class RacerFailureTest {

  private static String message(Throwable t) {
    return RacerFailure.of(3, 16, t, "L4.5", "the check", "CasResult.lost()").getMessage();
  }

  @Test
  void aFindingOfTheKitDoesNotSoundAsIfTheStoreThrew() {
    String m = message(new KitFinding("compareAndSet answered won(v7) to two clients"));
    assertTrue(m.startsWith("[L4.5] racer 3 found: compareAndSet answered won(v7) to two clients"), m);
    assertFalse(m.contains("threw") || m.contains("not an exception"), m);
  }

  @Test
  void aTimeoutSaysWhatItSuggestsAboutTheStore() {
    for (Throwable t : new Throwable[] {HadbException.timeout("read of k timed out", null),
        HadbException.unavailable("reading k failed: Read timed out", new SocketTimeoutException("Read timed out"))}) {
      String m = message(t);
      assertTrue(m.contains("timed out while 16 clients raced") && m.contains("lock held across a whole request"), m);
    }
  }

  @Test
  void anExceptionOfTheStoreIsNamedAsSuch() {
    String m = message(HadbException.unavailable("condition not met", null));
    assertTrue(m.contains("racer 3's call threw") && m.contains("losing a race is CasResult.lost(), not an exception"), m);
    String noLoss = RacerFailure.of(1, 4, new IllegalStateException("boom"), "S4.3", "c", null).getMessage();
    assertFalse(noLoss.contains("losing a race"), noLoss);
  }
}
