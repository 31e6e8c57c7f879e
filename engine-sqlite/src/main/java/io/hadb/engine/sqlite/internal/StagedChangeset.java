package io.hadb.engine.sqlite.internal;

import io.hadb.api.HadbException;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.DecodeOptions;
import io.hadb.changeset.PhysicalHeader;
import io.hadb.changeset.PhysicalReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A changeset downloaded to a local file and fully verified before any page of it is applied.
 * The reader's pages are unverified until its trailer is checked, so the object is read twice:
 * once to verify, once to apply. The staged file doubles as the apply record: after a crash
 * mid-apply it is still there, still verified, and applying it again repairs the database file.
 */
public final class StagedChangeset implements PageImages {
  private final Path file;
  private final String name;
  private final DecodeOptions options;
  private final ChainLink link;

  private StagedChangeset(Path file, String name, DecodeOptions options, ChainLink link) {
    this.file = file;
    this.name = name;
    this.options = options;
    this.link = link;
  }

  /** Copies {@code in} to {@code file} (fsynced) and verifies it. */
  public static StagedChangeset download(InputStream in, Path file, String name, DecodeOptions options) {
    try (InputStream src = in;
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
      src.transferTo(out);
      out.flush();
      ch.force(true);
    } catch (IOException e) {
      throw HadbException.unavailable("downloading " + name + " to " + file + " failed: " + e.getMessage(), e);
    }
    return verify(file, name, options);
  }

  /** Verifies a staged file (whole-object checksum, format); throws CORRUPT when it fails. */
  public static StagedChangeset verify(Path file, String name, DecodeOptions options) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        PhysicalReader r = PhysicalReader.open(name, in, Files.size(file), options)) {
      return new StagedChangeset(file, name, options, r.finish());
    } catch (IOException e) {
      throw HadbException.unavailable("reading " + file + " failed: " + e.getMessage(), e);
    }
  }

  public ChainLink link() {
    return link;
  }

  public PhysicalHeader header() {
    return (PhysicalHeader) link.header();
  }

  public Path file() {
    return file;
  }

  @Override
  public int pageSize() {
    return header().pageSize();
  }

  @Override
  public long dbSizePages() {
    return header().dbSizePages();
  }

  @Override
  public void forEach(Visitor v) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        PhysicalReader r = PhysicalReader.open(name, in, Files.size(file), options)) {
      byte[] buf = new byte[header().pageSize()];
      while (r.next()) {
        ByteBuffer page = r.page();
        page.get(buf);
        v.page(r.pageNumber(), buf);
      }
      r.finish();
    } catch (IOException e) {
      throw HadbException.unavailable("reading " + file + " failed: " + e.getMessage(), e);
    }
  }
}
