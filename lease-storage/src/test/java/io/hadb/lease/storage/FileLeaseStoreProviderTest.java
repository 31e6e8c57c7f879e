package io.hadb.lease.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.CasResult;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLeaseStoreProviderTest {
  @TempDir Path dir;

  @Test
  void registersLiveAsFilesUnderTheDirectoryAndSurviveReopening() throws Exception {
    String uri = "file://" + dir + "?fsync=false&keep=4";
    long v;
    try (LeaseStore a = LeaseStores.open(uri)) {
      CasResult r = a.create("db1/lease", "node-a".getBytes(StandardCharsets.UTF_8));
      v = r.version();
    }
    try (LeaseStore b = LeaseStores.open(uri); Stream<Path> files = Files.walk(dir)) {
      assertEquals("node-a", new String(b.read("db1/lease").orElseThrow().value(), StandardCharsets.UTF_8));
      assertEquals(v, b.read("db1/lease").orElseThrow().version());
      assertTrue(files.anyMatch(Files::isRegularFile), "the register must be stored as files in " + dir);
    }
  }

  @Test
  void leaseParametersAreCheckedAndStorageParametersPassedOn() {
    HadbException keep = assertThrows(HadbException.class, () -> LeaseStores.open("file://" + dir + "?keep=1"));
    assertEquals(ErrorCode.INVALID_ARGUMENT, keep.code());
    assertTrue(keep.getMessage().contains("keep"), keep.getMessage());
    HadbException typo = assertThrows(HadbException.class, () -> LeaseStores.open("file://" + dir + "?fsnyc=false"));
    assertEquals(ErrorCode.INVALID_ARGUMENT, typo.code());
    assertTrue(typo.getMessage().contains("fsnyc"), "the message must name the unknown parameter: " + typo.getMessage());
    assertTrue(typo.getMessage().contains("keep, collectEvery"), typo.getMessage());
  }
}
