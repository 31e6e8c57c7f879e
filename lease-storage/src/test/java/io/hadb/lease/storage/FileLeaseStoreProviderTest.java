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
    String uri = "file://" + dir + "?fsync=false&keepVersions=4";
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
    assertTrue(refused("?keepVersions=1").contains("'keepVersions'"));
    assertTrue(refused("?keep=1").contains("'keep'"), "keep, the older name, is checked the same way");
    String both = refused("?keep=4&keepVersions=4");
    assertTrue(both.contains("'keepVersions'") && both.contains("'keep'"), both);
    assertTrue(refused("?collection=sometimes").contains("'collection'"));
    String typo = refused("?fsnyc=false");
    assertTrue(typo.contains("fsnyc"), "the message must name the unknown parameter: " + typo);
    assertTrue(typo.contains("keepVersions, collectEvery, collection"), typo);
  }

  @Test
  void keepAndKeepVersionsBothSetHowManyVersionsStay() throws Exception {
    for (String param : new String[] {"keepVersions", "keep"}) {
      Path d = Files.createDirectory(dir.resolve(param));
      try (LeaseStore s = LeaseStores.open("file://" + d + "?fsync=false&collection=inline&collectEvery=1&" + param + "=3")) {
        long v = s.create("k", new byte[] {0}).version();
        for (int i = 0; i < 9; i++) {
          v = s.compareAndSet("k", v, new byte[] {(byte) i}).version();
        }
      }
      try (Stream<Path> files = Files.walk(d)) {
        assertEquals(3, files.filter(Files::isRegularFile).count(), param + "=3 keeps 3 versions of the key");
      }
    }
  }

  private String refused(String params) {
    HadbException e = assertThrows(HadbException.class, () -> LeaseStores.open("file://" + dir + params));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e.getMessage());
    return e.getMessage();
  }
}
