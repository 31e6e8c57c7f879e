package io.hadb.coordinator.fault;

import io.hadb.api.BodySource;
import io.hadb.api.HadbUri;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackendProvider;
import io.hadb.api.StorageBackends;
import java.io.InputStream;
import java.util.Optional;

/**
 * {@code pausing:///dir?fsync=false}: storage-local at {@code dir}, where a snapshot upload and
 * each delete announce themselves on stdout ({@code @UPLOAD key=…}, {@code @DELETE key=…}) and
 * then pause ({@value #UPLOAD_PAUSE_MS} and {@value #DELETE_PAUSE_MS} ms) before they happen, so
 * a fault test can kill the node while a snapshot is being uploaded or a collection deletes.
 */
public final class PausingStorageProvider implements StorageBackendProvider {
  static final long UPLOAD_PAUSE_MS = 400;
  static final long DELETE_PAUSE_MS = 150;

  @Override
  public String scheme() {
    return "pausing";
  }

  @Override
  public StorageBackend open(HadbUri uri) {
    StorageBackend inner = StorageBackends.open("file://" + uri.path() + "?fsync=" + uri.param("fsync", "true"));
    return new StorageBackend() {
      @Override
      public Optional<InputStream> getStream(String key) {
        return inner.getStream(key);
      }

      @Override
      public void put(String key, BodySource body) {
        announce(key);
        inner.put(key, body);
      }

      @Override
      public boolean putIfAbsent(String key, BodySource body) {
        announce(key);
        return inner.putIfAbsent(key, body);
      }

      private void announce(String key) {
        if (key.contains("/snapshots/")) {
          NodeMains.emit("UPLOAD", "key=" + key);
          NodeMains.sleep(UPLOAD_PAUSE_MS);
        }
      }

      @Override
      public ListPage list(String prefix, Optional<String> startAfter, int limit) {
        return inner.list(prefix, startAfter, limit);
      }

      @Override
      public void delete(String key) {
        NodeMains.emit("DELETE", "key=" + key);
        NodeMains.sleep(DELETE_PAUSE_MS);
        inner.delete(key);
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }
}
