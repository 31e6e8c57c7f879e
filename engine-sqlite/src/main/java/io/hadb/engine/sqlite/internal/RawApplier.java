package io.hadb.engine.sqlite.internal;

import io.hadb.chain.Applier;
import io.hadb.chain.PageImages;
/**
 * Writes pages straight into a file nobody reads yet (a rebuild or restore target), with page 1
 * patched the way a follower's must be. No locking: the file is private until it is complete.
 */
public final class RawApplier implements Applier {
  private final DbFile file;

  public RawApplier(DbFile file) {
    this.file = file;
  }

  @Override
  public void apply(PageImages images) {
    int ps = images.pageSize();
    long size = images.dbSizePages();
    images.forEach((no, data) -> {
      if (no < 1 || no > size) {
        return;
      }
      if (no == 1) {
        byte[] p1 = data.clone();
        DbHeader.patchForFollower(p1, DbHeader.changeCounter(p1) + 1, size);
        file.write(0, p1, ps);
      } else {
        file.write((no - 1) * ps, data, ps);
      }
    });
    if (file.size() > size * ps) {
      file.truncate(size * ps);
    }
  }
}
