package io.hadb.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalStorageConfigTest {

  private static LocalStorageConfig parse(String uri) {
    return LocalStorageConfig.from(HadbUri.parse(uri));
  }

  private static HadbException rejected(String uri) {
    HadbException e = assertThrows(HadbException.class, () -> parse(uri));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    return e;
  }

  @Test
  void absolute_uri_with_defaults() {
    LocalStorageConfig c = parse("file:///var/lib/hadb/../hadb/data");
    assertEquals(Path.of("/var/lib/hadb/data"), c.root());
    assertTrue(c.fsync());
    assertTrue(c.create());
    assertEquals(Duration.ofHours(1), c.staleTempAge());
  }

  @Test
  void single_slash_and_localhost_forms_are_absolute_too() {
    assertEquals(Path.of("/tmp/x"), parse("file:/tmp/x").root());
    assertEquals(Path.of("/tmp/x"), parse("file://localhost/tmp/x").root());
  }

  @Test
  void relative_uri_resolves_against_the_working_directory() {
    LocalStorageConfig c = parse("file:data/x");
    assertEquals(Path.of("").toAbsolutePath().resolve("data/x"), c.root());
  }

  @Test
  void parameters_are_parsed() {
    LocalStorageConfig c = parse("file:///tmp/x?fsync=false&create=false&staleTempAge=10m");
    assertFalse(c.fsync());
    assertFalse(c.create());
    assertEquals(Duration.ofMinutes(10), c.staleTempAge());
  }

  @Test
  void unknown_parameter_is_rejected_by_name() {
    HadbException e = rejected("file:///tmp/x?fsynk=false");
    assertTrue(e.getMessage().contains("'fsynk'"), e.getMessage());
    assertTrue(e.getMessage().contains("fsync"), "should list the known parameters: " + e.getMessage());
  }

  @Test
  void bad_values_name_the_parameter() {
    assertTrue(rejected("file:///tmp/x?fsync=maybe").getMessage().contains("'fsync'"));
    assertTrue(rejected("file:///tmp/x?create=2").getMessage().contains("'create'"));
    assertTrue(rejected("file:///tmp/x?staleTempAge=soon").getMessage().contains("'staleTempAge'"));
  }

  @Test
  void a_host_is_rejected() {
    assertTrue(rejected("file://fileserver/share/x").getMessage().contains("fileserver"));
  }

  @Test
  void a_missing_directory_is_rejected() {
    rejected("file://");
    rejected("file:");
  }

  @Test
  void another_scheme_is_rejected() {
    assertTrue(rejected("mem:x").getMessage().contains("file:"));
  }
}
