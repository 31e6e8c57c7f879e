package io.hadb.lease.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import io.hadb.api.LeaseStores;
import io.hadb.lease.storage.StorageLeaseOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class S3LeaseConfigTest {
  private static final String BASE = "s3://leases/prod?endpoint=http://127.0.0.1:9000&pathStyle=true";

  private static S3LeaseConfig parse(String uri) {
    return S3LeaseConfig.from(HadbUri.parse(uri));
  }

  private static HadbException refused(String uri) {
    HadbException e = assertThrows(HadbException.class, () -> parse(uri));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e.getMessage());
    return e;
  }

  @Test
  void defaultsSplitTheTimeoutOverTheS3RequestsOfOneLeaseCall() {
    S3LeaseConfig c = parse(BASE);
    assertEquals(S3LeaseConfig.DEFAULT_TIMEOUT, c.timeout());
    assertEquals(Duration.ofMillis(2500), c.storage().apiCallTimeout());
    assertEquals(Duration.ofMillis(2500), c.storage().attemptTimeout());
    assertEquals("prod/", c.storage().prefix());
    assertEquals(StorageLeaseOptions.DEFAULT_KEEP_VERSIONS, c.options().keepVersions());
    assertEquals(StorageLeaseOptions.Collection.BACKGROUND, c.options().collection());
  }

  @Test
  void leaseParametersAreTakenOutAndTheRestReachesStorage() {
    S3LeaseConfig c = parse(BASE + "&timeout=8s&keepVersions=4&collectEvery=2&collection=inline&filesystemCompat=true");
    assertEquals(Duration.ofSeconds(2), c.storage().apiCallTimeout());
    assertEquals(4, c.options().keepVersions());
    assertEquals(2, c.options().collectEvery());
    assertEquals(StorageLeaseOptions.Collection.INLINE, c.options().collection());
    assertTrue(c.storage().filesystemCompat());
    assertFalse(c.storage().uri().params().containsKey("keepVersions"));
  }

  @Test
  void keepIsAcceptedForKeepVersionsButNotBoth() {
    S3LeaseConfig c = parse(BASE + "&keep=3");
    assertEquals(3, c.options().keepVersions());
    assertFalse(c.storage().uri().params().containsKey("keep"));
    String both = refused(BASE + "&keep=3&keepVersions=3").getMessage();
    assertTrue(both.contains("'keepVersions'") && both.contains("'keep'"), both);
    assertTrue(refused(BASE + "&keep=1").getMessage().contains("'keep'"));
  }

  @Test
  void storageTimeoutsAreRefusedInFavourOfTimeout() {
    assertTrue(refused(BASE + "&apiCallTimeout=1s").getMessage().contains("timeout=..."));
    assertTrue(refused(BASE + "&attemptTimeout=1s").getMessage().contains("'attemptTimeout'"));
  }

  @Test
  void badParametersAreNamed() {
    String unknown = refused(BASE + "&keepVersion=3").getMessage();
    assertTrue(unknown.contains("'keepVersion'") && unknown.contains("keepVersions"), unknown);
    assertTrue(refused(BASE + "&collection=sometimes").getMessage().contains("'collection'"));
    assertTrue(refused(BASE + "&keepVersions=1").getMessage().contains("'keepVersions'"));
    assertTrue(refused(BASE + "&timeout=50ms").getMessage().contains("'timeout'"));
    assertTrue(refused("s3://Bad_Bucket/x").getMessage().contains("Bad_Bucket"));
  }

  @Test
  void secretsNeverPrinted() {
    String secret = "s3cr3t-value-123";
    S3LeaseConfig c = parse(BASE + "&accessKey=AKIDEXAMPLE&secretKey=" + secret);
    assertFalse(c.toString().contains(secret), c.toString());
    assertFalse(c.storage().toString().contains(secret));
    HadbException e = refused(BASE + "&accessKey=AKIDEXAMPLE&secretKey=" + secret + "&bogus=1");
    assertFalse(e.getMessage().contains(secret), e.getMessage());
  }

  @Test
  void theProviderServesTheS3Scheme() {
    HadbException e = assertThrows(HadbException.class, () -> LeaseStores.open(BASE + "&bogus=1"));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("'bogus'") && e.getMessage().contains("keepVersions"), e.getMessage());
  }
}
