package io.hadb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderLookupTest {

  @Test
  void highestPriorityWinsWhenTwoProvidersServeOneScheme() {
    assertInstanceOf(TestProviders.HighPriority.class, LeaseStores.registry().forScheme("twice"));
    assertEquals(2, LeaseStores.registry().providersByScheme().get("twice").size());
  }

  @Test
  void unavailableProvidersAreSkipped() {
    assertFalse(LeaseStores.registry().providersByScheme().containsKey("gone"));
  }

  @Test
  void unknownKnownSchemeNamesTheArtifactToAdd() {
    HadbException e = assertThrows(HadbException.class, () -> LeaseStores.open("nats://127.0.0.1:4222?bucket=x"));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("scheme 'nats:'"), e.getMessage());
    assertTrue(e.getMessage().contains("schemes found on the class path: twice:"), e.getMessage());
    assertTrue(e.getMessage().contains("io.hadb:lease-nats"), e.getMessage());
  }

  @Test
  void fileLeaseNamesLeaseStorageWhichHoldsItsProvider() {
    HadbException e = assertThrows(HadbException.class, () -> LeaseStores.open("file:///tmp/leases"));
    assertTrue(e.getMessage().contains("Add the artifact io.hadb:lease-storage (with io.hadb:storage-local)"),
        e.getMessage());
  }

  @Test
  void unknownSchemeListsTheKnownArtifacts() {
    HadbException e = assertThrows(HadbException.class, () -> StorageBackends.open("gcs://bucket"));
    assertTrue(e.getMessage().contains("schemes found on the class path: none"), e.getMessage());
    assertTrue(e.getMessage().contains("s3: io.hadb:storage-s3"), e.getMessage());
  }

  @Test
  void environmentLookupNamesTheMissingVariable() {
    HadbException e = assertThrows(HadbException.class, () -> LeaseStores.fromEnvironment(Map.of()));
    assertTrue(e.getMessage().contains("HADB_LEASE_URL is not set"), e.getMessage());
    HadbException s = assertThrows(HadbException.class, () -> StorageBackends.fromEnvironment(Map.of("HADB_STORAGE_URL", " ")));
    assertTrue(s.getMessage().contains("HADB_STORAGE_URL is not set"), s.getMessage());
  }

  @Test
  void environmentLookupOpensThroughTheProvider() {
    HadbException e = assertThrows(HadbException.class,
        () -> LeaseStores.fromEnvironment(Map.of("HADB_LEASE_URL", "twice://x")));
    assertEquals(ErrorCode.UNSUPPORTED, e.code());
    assertTrue(e.getMessage().contains("HighPriority opens nothing"), e.getMessage());
  }
}
