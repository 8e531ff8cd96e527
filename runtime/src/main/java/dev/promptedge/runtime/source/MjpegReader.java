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

  /** The next frame's bytes, or empty at the end of the stream. */
  Optional<byte[]> next() throws IOException {
    return boundary == null ? nextJpeg() : nextPart();
  }

  private Optional<byte[]> nextJpeg() throws IOException {
    int prev = -1;
    int b;
    long skipped = 0;
    while ((b = in.read()) >= 0) {
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
      int c = out.copy();
      if (c != 0xFF) {
        continue; // entropy-coded data (or bytes outside a segment): look for the next marker
      }
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
      out.copy(length - 2, in);
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
    byte[] buffer = new byte[8192];
    while (done < length) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - done));
      if (n < 0) {
        throw new EOFException("stream ended inside an oversized part");
      }
      done += n;
    }
    return done;
  }

  private byte[] readExactly(int length) throws IOException {
    byte[] frame = in.readNBytes(length);
    if (frame.length < length) {
      throw new EOFException("part ended after " + frame.length + " of " + length + " bytes");
    }
    return frame;
  }

  private byte[] untilBoundary() throws IOException {
    byte[] marker = ("\r\n" + seenBoundary).getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
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
    while ((b = in.read()) >= 0) {
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
      int b = in.read();
      if (b < 0) {
        throw new EOFException("stream ended inside a JPEG after " + count + " bytes");
      }
      if (count >= max) {
        throw new FrameTooLargeException(max);
      }
      write(b);
      return b;
    }

    /** Reads {@code n} bytes into the frame. */
    void copy(int n, InputStream from) throws IOException {
      if ((long) count + n > max) {
        throw new FrameTooLargeException(max);
      }
      byte[] bytes = from.readNBytes(n);
      if (bytes.length < n) {
        throw new EOFException("stream ended inside a JPEG segment after " + count + " bytes");
      }
      write(bytes, 0, n);
    }
  }

  /** A frame over the profile's size limit; the stream is out of step and must reconnect. */
  static final class FrameTooLargeException extends IOException {
    FrameTooLargeException(int max) {
      super(
          "frame larger than "
              + max
              + " bytes; raise the source's max_frame_bytes or lower the camera's resolution");
    }
  }
}
