package io.hadb.chain.internal;

import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.chain.PageImages;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.DecodeOptions;
import io.hadb.changeset.EncodeOptions;
import io.hadb.changeset.PhysicalHeader;
import io.hadb.changeset.PhysicalReader;
import io.hadb.changeset.PhysicalWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * One HADBP object (a changeset or a snapshot) in a local file, verified: written here before an
 * upload (so a retry sends the same bytes) or downloaded here before use (so nothing is applied
 * before the whole object checked out). Pages stream from the file; nothing is held whole in
 * the heap, whatever the object's size.
 */
public final class SpooledObject implements PageImages {
  private final Path file;
  private final String name;
  private final DecodeOptions options;
  private final ChainLink link;

  private SpooledObject(Path file, String name, DecodeOptions options, ChainLink link) {
    this.file = file;
    this.name = name;
    this.options = options;
    this.link = link;
  }

  /** Encodes {@code pages} under {@code header} into {@code file}. */
  public static ChainLink encode(PageImages pages, PhysicalHeader header, EncodeOptions enc, Path file) {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      return encode(pages, header, enc, out);
    } catch (IOException e) {
      throw HadbException.unavailable("writing " + file + " failed: " + e.getMessage(), e);
    }
  }

  /** Encodes {@code pages} under {@code header} into {@code out} (flushed, not closed). */
  public static ChainLink encode(PageImages pages, PhysicalHeader header, EncodeOptions enc, OutputStream out) {
    try (PhysicalWriter w = PhysicalWriter.open(out, header, enc)) {
      pages.forEach(w::writePage);
      ChainLink link = w.finish();
      out.flush();
      return link;
    } catch (IOException e) {
      throw HadbException.unavailable("encoding changeset " + header.seq() + " failed: " + e.getMessage(), e);
    }
  }

  /** Downloads {@code key} into {@code file} and verifies it; empty when the key is absent. */
  public static Optional<SpooledObject> download(StorageBackend storage, String key, Path file, DecodeOptions options) {
    Optional<InputStream> in = storage.getStream(key);
    if (in.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream src = in.get()) {
      Files.copy(src, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw HadbException.unavailable("downloading " + key + " to " + file + " failed: " + e.getMessage(), e);
    }
    return Optional.of(verify(file, key, options));
  }

  /** Verifies a local object (format, whole-object checksum); throws CORRUPT naming it. */
  public static SpooledObject verify(Path file, String name, DecodeOptions options) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        PhysicalReader r = PhysicalReader.open(name, in, Files.size(file), options)) {
      return new SpooledObject(file, name, options, r.finish());
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
