package dev.promptedge.runtime.source;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Splits an MJPEG byte stream into JPEG frames: multipart/x-mixed-replace parts (with or without
 * Content-Length) when a boundary is known, otherwise concatenated JPEGs whose end is found by
 * walking their marker segments (so an EXIF thumbnail's end marker does not cut a frame short).
 * Frames and header lines are bounded; an oversized frame is a {@link FrameTooLargeException}, or a
 * {@link BadFrameException} when its Content-Length let the reader skip it and stay in step. Not
 * thread-safe: one reader thread per stream.
 */
final class MjpegReader {
  static final int MAX_HEADER_LINE = 1024;
  static final int MAX_HEADER_LINES = 32;

  private final InputStream in;
  private final byte[] buffer = new byte[64 * 1024];
  private int pos;
  private int limit;
  private final String boundary;
  private final String looseBoundary;
  private final int maxFrameBytes;
  private String seenBoundary;
  private String pushBack;

  MjpegReader(InputStream in, Optional<String> boundary, int maxFrameBytes) {
    this.in = in;
    this.boundary = boundary.map(b -> "--" + b).orElse(null);
    // Some cameras declare boundary=--x and then write --x instead of ----x.
    this.looseBoundary = boundary.filter(b -> b.startsWith("--")).orElse(null);
    this.maxFrameBytes = maxFrameBytes;
  }

  /** The boundary parameter of a multipart Content-Type, if there is one. */
  static Optional<String> boundaryOf(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    for (String part : contentType.split(";")) {
      String p = part.trim();
      if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String b = p.substring("boundary=".length()).trim();
        if (b.startsWith("\"") && b.endsWith("\"") && b.length() >= 2) {
          b = b.substring(1, b.length() - 1);
        }
        return b.isEmpty() ? Optional.empty() : Optional.of(b);
      }
    }
    return Optional.empty();
  }

  /** One byte, or -1 at the end; reads through this reader's own (unsynchronized) buffer. */
  private int read() throws IOException {
    if (pos == limit && !fill()) {
      return -1;
    }
    return buffer[pos++] & 0xFF;
  }

  private boolean fill() throws IOException {
    int n;
    do {
      n = in.read(buffer, 0, buffer.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  /** Moves up to {@code n} bytes into {@code out} (or drops them when it is null); the count. */
  private int transfer(ByteArrayOutputStream out, long n) throws IOException {
    if (pos == limit && !fill()) {
      return -1;
    }
    int k = (int) Math.min(n, limit - pos);
    if (out != null) {
      out.write(buffer, pos, k);
    }
    pos += k;
    return k;
  }

  /** The next frame's bytes, or empty at the end of the stream. */
  Optional<byte[]> next() throws IOException {
    return boundary == null ? nextJpeg() : nextPart();
  }

  private Optional<byte[]> nextJpeg() throws IOException {
    int prev = -1;
    int b;
    long skipped = 0;
    while ((b = read()) >= 0) {
      if (prev == 0xFF && b == 0xD8) {
        break;
      }
      prev = b;
      if (++skipped > maxFrameBytes) {
        throw new IOException(
            "no JPEG start (FF D8) in " + maxFrameBytes + " bytes: not an MJPEG stream");
      }
    }
    if (b < 0) {
      return Optional.empty();
    }
    Frame out = new Frame(maxFrameBytes);
    out.write(0xFF);
    out.write(0xD8);
    while (true) {
      out.copyUntilMarker(); // entropy-coded data (or bytes outside a segment)
      out.copy();
      int m = out.copy();
      while (m == 0xFF) {
        m = out.copy();
      }
      if (m == 0x00 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
        continue; // stuffed byte, TEM or restart marker: no length follows
      }
      if (m == 0xD9) {
        return Optional.of(out.toByteArray());
      }
      if (m == 0xD8) {
        throw new IOException("a JPEG start (FF D8) inside a JPEG: the stream is corrupt");
      }
      int length = (out.copy() << 8) | out.copy();
      if (length < 2) {
        throw new IOException("JPEG segment FF " + Integer.toHexString(m) + " of length " + length);
      }
      out.copy(length - 2);
    }
  }

  private Optional<byte[]> nextPart() throws IOException {
    String line;
    int skipped = 0;
    do {
      line = readLine();
      if (line == null) {
        return Optional.empty();
      }
      if (++skipped > MAX_HEADER_LINES) {
        throw new IOException(
            "no multipart boundary " + boundary + " in " + MAX_HEADER_LINES + " lines");
      }
    } while (boundaryIn(line) == null);
    String found = boundaryIn(line);
    seenBoundary = found;
    if (line.startsWith(found + "--")) {
      return Optional.empty();
    }
    int length = -1;
    for (int i = 0; ; i++) {
      if (i >= MAX_HEADER_LINES) {
        throw new IOException(
            "more than " + MAX_HEADER_LINES + " header lines in a multipart part");
      }
      String header = readLine();
      if (header == null) {
        throw new EOFException("stream ended inside part headers");
      }
      if (header.isEmpty()) {
        break;
      }
      int colon = header.indexOf(':');
      if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
        try {
          length = Integer.parseInt(header.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
          throw new IOException("bad Content-Length: " + header);
        }
        if (length < 0) {
          throw new IOException("negative Content-Length: " + header);
        }
      }
    }
    if (length > maxFrameBytes) {
      long skippedBytes = skipFully(length);
      throw new BadFrameException(
          "a part of "
              + length
              + " bytes is larger than max_frame_bytes "
              + maxFrameBytes
              + " (skipped "
              + skippedBytes
              + " bytes); raise the source's max_frame_bytes or lower the camera's resolution");
    }
    return Optional.of(length >= 0 ? readExactly(length) : untilBoundary());
  }

  private String boundaryIn(String line) {
    if (line.startsWith(boundary)) {
      return boundary;
    }
    return looseBoundary != null && line.startsWith(looseBoundary) ? looseBoundary : null;
  }

  private long skipFully(long length) throws IOException {
    long done = 0;
    while (done < length) {
      int n = transfer(null, length - done);
      if (n < 0) {
        throw new EOFException("stream ended inside an oversized part");
      }
      done += n;
    }
    return done;
  }

  private byte[] readExactly(int length) throws IOException {
    byte[] frame = new byte[length];
    int done = 0;
    while (done < length) {
      if (pos == limit && !fill()) {
        throw new EOFException("part ended after " + done + " of " + length + " bytes");
      }
      int k = Math.min(length - done, limit - pos);
      System.arraycopy(buffer, pos, frame, done, k);
      pos += k;
      done += k;
    }
    return frame;
  }

  private byte[] untilBoundary() throws IOException {
    byte[] marker = ("\r\n" + seenBoundary).getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    int matched = 0;
    while (true) {
      if (matched == 0) {
        // no partial match: copy in bulk up to the next '\r'
        if (pos == limit && !fill()) {
          break;
        }
        int i = pos;
        while (i < limit && buffer[i] != '\r') {
          i++;
        }
        out.write(buffer, pos, i - pos);
        pos = i;
        if (out.size() > maxFrameBytes + marker.length) {
          throw new FrameTooLargeException(maxFrameBytes);
        }
        if (i == limit) {
          continue;
        }
      }
      int b = read();
      if (b < 0) {
        break;
      }
      out.write(b);
      if (out.size() > maxFrameBytes + marker.length) {
        throw new FrameTooLargeException(maxFrameBytes);
      }
      // '\r' occurs in the marker only at its start, so restarting at 0 or 1 finds every match
      matched = b == marker[matched] ? matched + 1 : (b == marker[0] ? 1 : 0);
      if (matched == marker.length) {
        byte[] all = out.toByteArray();
        pushBack = seenBoundary;
        byte[] frame = new byte[all.length - marker.length];
        System.arraycopy(all, 0, frame, 0, frame.length);
        return frame;
      }
    }
    throw new EOFException("stream ended inside a multipart part");
  }

  private String readLine() throws IOException {
    if (pushBack != null) {
      String rest = readRawLine();
      String line = pushBack + (rest == null ? "" : rest);
      pushBack = null;
      return line;
    }
    return readRawLine();
  }

  private String readRawLine() throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = read()) >= 0) {
      if (b == '\n') {
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') {
          sb.setLength(n - 1);
        }
        return sb.toString();
      }
      if (sb.length() >= MAX_HEADER_LINE) {
        throw new IOException("header line longer than " + MAX_HEADER_LINE + " bytes");
      }
      sb.append((char) b);
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  /** The bytes of one JPEG being read, bounded by the frame limit. */
  private final class Frame extends ByteArrayOutputStream {
    private final int max;

    Frame(int max) {
      super(64 * 1024);
      this.max = max;
    }

    /** Reads one byte into the frame and returns it. */
    int copy() throws IOException {
      int b = read();
      if (b < 0) {
        throw new EOFException("stream ended inside a JPEG after " + count + " bytes");
      }
      if (count >= max) {
        throw new FrameTooLargeException(max);
      }
      write(b);
      return b;
    }

    /** Copies bytes into the frame up to (not including) the next 0xFF. */
    void copyUntilMarker() throws IOException {
      while (true) {
        if (pos == limit && !fill()) {
          throw new EOFException("stream ended inside a JPEG after " + count + " bytes");
        }
        int i = pos;
        while (i < limit && buffer[i] != (byte) 0xFF) {
          i++;
        }
        if ((long) count + (i - pos) > max) {
          throw new FrameTooLargeException(max);
        }
        write(buffer, pos, i - pos);
        pos = i;
        if (i < limit) {
          return;
        }
      }
    }

    /** Reads {@code n} bytes into the frame. */
    void copy(int n) throws IOException {
      if ((long) count + n > max) {
        throw new FrameTooLargeException(max);
      }
      for (int left = n; left > 0; ) {
        int k = transfer(this, left);
        if (k < 0) {
          throw new EOFException("stream ended inside a JPEG segment after " + count + " bytes");
        }
        left -= k;
      }
    }
  }

  /** A frame over the profile's size limit; the stream is out of step and must reconnect. */
  static final class FrameTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    FrameTooLargeException(int max) {
      super(
          "frame larger than "
              + max
              + " bytes; raise the source's max_frame_bytes or lower the camera's resolution");
    }
  }
}
