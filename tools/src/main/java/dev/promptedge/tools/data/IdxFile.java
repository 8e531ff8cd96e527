package dev.promptedge.tools.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An unsigned-byte IDX array (the MNIST file format: magic {@code 00 00 08 N}, N big-endian
 * dimension sizes, then the bytes), read whole from a plain or gzipped ({@code .gz}) file.
 * Immutable; the array is copied out.
 *
 * @param dims the dimension sizes, e.g. {@code [60000, 28, 28]} for images, {@code [60000]} for
 *     labels
 * @param data the elements, row-major
 */
public record IdxFile(int[] dims, byte[] data) {

  /** The largest array accepted: 1 GiB. */
  public static final long MAX_BYTES = 1L << 30;

  /** Checks that the data matches the dimensions and copies both arrays. */
  public IdxFile {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "IDX dims " + Arrays.toString(dims) + " need " + n + " bytes, got " + data.length);
    }
    dims = dims.clone();
    data = data.clone();
  }

  /** The dimension sizes (a copy). */
  @Override
  public int[] dims() {
    return dims.clone();
  }

  /** The elements (a copy). */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /**
   * Reads an unsigned-byte IDX file, gunzipping when the name ends in {@code .gz}.
   *
   * @throws DatasetException when the file is missing, truncated, has trailing bytes, a wrong magic
   *     number, a type other than unsigned byte, or is larger than {@link #MAX_BYTES}
   */
  public static IdxFile read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DatasetException(file, "IDX file is missing");
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        InputStream in =
            file.getFileName().toString().endsWith(".gz")
                ? new GZIPInputStream(raw, 1 << 16)
                : raw;
        DataInputStream data = new DataInputStream(in)) {
      int magic = data.readInt();
      if ((magic >>> 16) != 0) {
        throw new DatasetException(
            file,
            String.format(java.util.Locale.ROOT, "not an IDX file: magic number 0x%08X", magic));
      }
      int type = magic >>> 8 & 0xFF;
      int rank = magic & 0xFF;
      if (type != 0x08) {
        throw new DatasetException(
            file,
            String.format(
                java.util.Locale.ROOT,
                "IDX element type 0x%02X is not unsigned byte (0x08)",
                type));
      }
      if (rank < 1 || rank > 4) {
        throw new DatasetException(file, "IDX rank " + rank + " is not 1..4");
      }
      int[] dims = new int[rank];
      long n = 1;
      for (int i = 0; i < rank; i++) {
        dims[i] = data.readInt();
        if (dims[i] < 0) {
          throw new DatasetException(file, "IDX dimension " + i + " is negative: " + dims[i]);
        }
        n *= dims[i];
        if (n > MAX_BYTES) {
          throw new DatasetException(
              file, "IDX array " + Arrays.toString(dims) + " exceeds " + MAX_BYTES + " bytes");
        }
      }
      byte[] bytes = new byte[(int) n];
      data.readFully(bytes);
      if (in.read() != -1) {
        throw new DatasetException(
            file, "IDX file has bytes after the " + Arrays.toString(dims) + " array");
      }
      return new IdxFile(dims, bytes);
    } catch (EOFException e) {
      throw new DatasetException(file, "IDX file is truncated", e);
    } catch (IOException e) {
      throw new DatasetException(file, "cannot read the IDX file: " + e.getMessage(), e);
    }
  }
}
