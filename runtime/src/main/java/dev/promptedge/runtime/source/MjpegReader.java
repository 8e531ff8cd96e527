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
 * Content-Length) when a boundary is known, otherwise concatenated JPEGs delimited by SOI/EOI.
 * Frames and header lines are bounded; an oversized frame is a {@link FrameTooLargeException}.
 */
final class MjpegReader {
  static final int MAX_HEADER_LINE = 1024;
  static final int MAX_HEADER_LINES = 32;

  private final InputStream in;
  private final String boundary;
  private final int maxFrameBytes;

  MjpegReader(InputStream in, Optional<String> boundary, int maxFrameBytes) {
    this.in = in;
    this.boundary = boundary.map(b -> b.startsWith("--") ? b : "--" + b).orElse(null);
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
    while ((b = in.read()) >= 0) {
      if (prev == 0xFF && b == 0xD8) {
        break;
      }
      prev = b;
    }
    if (b < 0) {
      return Optional.empty();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    out.write(0xFF);
    out.write(0xD8);
    prev = -1;
    while ((b = in.read()) >= 0) {
      out.write(b);
      if (out.size() > maxFrameBytes) {
        throw new FrameTooLargeException(maxFrameBytes);
      }
      if (prev == 0xFF && b == 0xD9) {
        return Optional.of(out.toByteArray());
      }
      prev = b;
    }
    throw new EOFException("stream ended inside a JPEG after " + out.size() + " bytes");
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
    } while (!line.startsWith(boundary));
    if (line.startsWith(boundary + "--")) {
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
      throw new FrameTooLargeException(maxFrameBytes);
    }
    return Optional.of(length >= 0 ? readExactly(length) : untilBoundary());
  }

  private byte[] readExactly(int length) throws IOException {
    byte[] frame = in.readNBytes(length);
    if (frame.length < length) {
      throw new EOFException("part ended after " + frame.length + " of " + length + " bytes");
    }
    return frame;
  }

  private byte[] untilBoundary() throws IOException {
    byte[] marker = ("\r\n" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      out.write(b);
      if (out.size() > maxFrameBytes + marker.length) {
        throw new FrameTooLargeException(maxFrameBytes);
      }
      matched = b == marker[matched] ? matched + 1 : (b == marker[0] ? 1 : 0);
      if (matched == marker.length) {
        byte[] all = out.toByteArray();
        pushBack = boundary;
        byte[] frame = new byte[all.length - marker.length];
        System.arraycopy(all, 0, frame, 0, frame.length);
        return frame;
      }
    }
    throw new EOFException("stream ended inside a multipart part");
  }

  private String pushBack;

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

  /** A frame over the profile's size limit. */
  static final class FrameTooLargeException extends IOException {
    FrameTooLargeException(int max) {
      super(
          "frame larger than "
              + max
              + " bytes; raise the source's max_frame_bytes or lower the camera's resolution");
    }
  }
}
