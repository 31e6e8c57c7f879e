package io.hadb.chain.internal;

import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.chain.ChainKeys;
import io.hadb.chain.ChainOptions;
import io.hadb.chain.EngineFile;
import io.hadb.chain.FileFormat;
import io.hadb.chain.LocalState;
import io.hadb.chain.PrivateFile;
import java.nio.file.Path;

/**
 * Rebuilds a local file from the chain (a demoted leader's unshipped commits, a write outside the
 * library, a record that cannot be trusted): the chain's image is built in a private side file
 * (from the latest snapshot when one covers the start, the changesets after it downloaded in
 * parallel ahead of the apply), then written into the live file in one
 * apply, so readers go from the old content to the chain's without a torn state.
 */
public final class Rebuild {
  private Rebuild() {}

  /** Rebuilds {@code file}; returns the record of what it now holds (to be stamped and written). */
  public static LocalState run(EngineFile file, FileFormat format, StorageBackend storage, ChainKeys keys,
      ChainOptions options) {
    Path db = file.path();
    Path side = db.resolveSibling(db.getFileName() + "-hadb.rebuild");
    Spool.deleteQuietly(side);
    Spool.deleteQuietly(LocalState.fileOf(side));
    try (PrivateFile sideFile = format.create(side)) {
      Follower f = new Follower(side, sideFile, storage, keys, options, LocalState.empty(),
          ManifestKeeper.of(storage, keys, options));
      f.fromSnapshotIfBehind();
      f.pullAhead("hadb-rebuild-download"); // a demoted leader is no follower until this is done
      sideFile.force();
      if (sideFile.size() > 0) {
        file.replaceWith(sideFile.pages());
      } else if (file.size() > 0) {
        throw HadbException.unsupported("the chain of " + db + " is empty but the local file is not;"
            + " refusing to wipe it");
      }
      return f.state();
    } finally {
      Spool.deleteQuietly(side);
      Spool.deleteQuietly(LocalState.fileOf(side));
    }
  }
}
