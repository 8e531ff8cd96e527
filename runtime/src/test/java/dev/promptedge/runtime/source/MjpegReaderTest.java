package dev.promptedge.runtime.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MjpegReaderTest {
  static final byte[] JPEG_A = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};
  static final byte[] JPEG_B = {
    (byte) 0xFF, (byte) 0xD8, 9, (byte) 0xFF, 0, (byte) 0xFF, (byte) 0xD9
  };

  static byte[] part(String boundary, byte[] body, boolean withLength) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        "--"
            + boundary
            + "\r\nContent-Type: image/jpeg\r\n"
            + (withLength ? "Content-Length: " + body.length + "\r\n" : "")
            + "\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  static MjpegReader reader(byte[] bytes, String boundary, int max) {
    return new MjpegReader(new ByteArrayInputStream(bytes), Optional.ofNullable(boundary), max);
  }

  @Test
  void boundaryFromContentType() {
    assertEquals(
        Optional.of("frame"), MjpegReader.boundaryOf("multipart/x-mixed-replace; boundary=frame"));
    assertEquals(
        Optional.of("a b"), MjpegReader.boundaryOf("multipart/x-mixed-replace;boundary=\"a b\""));
    assertEquals(Optional.empty(), MjpegReader.boundaryOf("image/jpeg"));
  }

  @Test
  void partsWithAndWithoutContentLength() throws IOException {
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    s.writeBytes(part("fr", JPEG_A, true));
    s.writeBytes(part("fr", JPEG_B, false));
    s.writeBytes(part("fr", JPEG_A, false));
    MjpegReader r = reader(s.toByteArray(), "fr", 1000);
    assertArrayEquals(JPEG_A, r.next().orElseThrow());
    assertArrayEquals(JPEG_B, r.next().orElseThrow());
    // the last part has no closing boundary: the stream ended inside it
    assertThrows(IOException.class, r::next);
  }

  @Test
  void concatenatedJpegs() throws IOException {
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    s.writeBytes(new byte[] {7, 7});
    s.writeBytes(JPEG_A);
    s.writeBytes(JPEG_B);
    MjpegReader r = reader(s.toByteArray(), null, 1000);
    assertArrayEquals(JPEG_A, r.next().orElseThrow());
    assertArrayEquals(JPEG_B, r.next().orElseThrow());
    assertEquals(Optional.empty(), r.next());
  }

  @Test
  void hostileInputsAreErrorsNotHangs() {
    byte[] truncated = part("fr", JPEG_A, true);
    assertThrows(
        IOException.class,
        () -> reader(java.util.Arrays.copyOf(truncated, truncated.length - 6), "fr", 1000).next());
    byte[] wrongLength =
        ("--fr\r\nContent-Length: 99999\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    assertThrows(EOFException.class, () -> reader(wrongLength, "fr", 1000).next());
    byte[] negative = ("--fr\r\nContent-Length: -4\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    assertThrows(IOException.class, () -> reader(negative, "fr", 1000).next());
    byte[] giantHeader =
        ("--fr\r\nX: " + "a".repeat(100_000) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    assertThrows(IOException.class, () -> reader(giantHeader, "fr", 1000).next());
    byte[] manyHeaders =
        ("--fr\r\n" + "X: y\r\n".repeat(1000)).getBytes(StandardCharsets.ISO_8859_1);
    assertThrows(IOException.class, () -> reader(manyHeaders, "fr", 1000).next());
    byte[] endless = new byte[5000];
    endless[0] = (byte) 0xFF;
    endless[1] = (byte) 0xD8;
    assertThrows(
        MjpegReader.FrameTooLargeException.class, () -> reader(endless, null, 1000).next());
  }

  @Test
  void randomBytesNeverCrashOrHang() {
    Random random = new Random(14);
    for (int i = 0; i < 500; i++) {
      byte[] junk = new byte[random.nextInt(4000)];
      random.nextBytes(junk);
      byte[] withPrefix =
          (random.nextBoolean() ? "--fr\r\n" : "").getBytes(StandardCharsets.ISO_8859_1);
      byte[] all = new byte[withPrefix.length + junk.length];
      System.arraycopy(withPrefix, 0, all, 0, withPrefix.length);
      System.arraycopy(junk, 0, all, withPrefix.length, junk.length);
      MjpegReader r = reader(all, random.nextBoolean() ? "fr" : null, 2000);
      int frames = 0;
      try {
        while (r.next().isPresent()) {
          assertTrue(++frames < 10_000);
        }
      } catch (IOException expected) {
        // a counted stream error in a real source
      }
    }
  }

  static byte[] realJpeg(int seed) throws IOException {
    BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(seed);
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 32; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, "jpeg", out));
    return out.toByteArray();
  }

  /** {@code jpeg} with an APP1 segment after its SOI holding {@code payload}. */
  static byte[] withApp1(byte[] jpeg, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xFF);
    out.write(0xD8);
    out.write(0xFF);
    out.write(0xE1);
    int length = payload.length + 2;
    out.write(length >> 8);
    out.write(length & 0xFF);
    out.writeBytes(payload);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  @Test
  void anEmbeddedThumbnailsEndMarkerDoesNotCutABareJpegShort() throws IOException {
    byte[] thumbnail = realJpeg(1);
    byte[] exif = new byte[6 + thumbnail.length];
    System.arraycopy("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), 0, exif, 0, 6);
    System.arraycopy(thumbnail, 0, exif, 6, thumbnail.length);
    byte[] frame = withApp1(realJpeg(2), exif);
    byte[] other = realJpeg(3);
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    s.writeBytes(frame);
    s.writeBytes(other);
    MjpegReader r = reader(s.toByteArray(), null, 100_000);
    byte[] first = r.next().orElseThrow();
    assertArrayEquals(frame, first);
    assertEquals(32, ImageIO.read(new ByteArrayInputStream(first)).getWidth());
    assertArrayEquals(other, r.next().orElseThrow());
    assertEquals(Optional.empty(), r.next());
  }

  @Test
  void boundaryBytesInsideAJpegDoNotSplitAPartWithoutContentLength() throws IOException {
    // the boundary without the CRLF that must precede it, and a CRLF + boundary prefix that
    // breaks off one byte early, both inside a comment segment of a real JPEG
    byte[] inside = "x--frame\r\n--fram\r\n--framX\r\n-".getBytes(StandardCharsets.ISO_8859_1);
    byte[] tricky = withApp1(realJpeg(4), inside);
    byte[] plain = realJpeg(5);
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    s.writeBytes(part("frame", tricky, false));
    s.writeBytes(part("frame", plain, false));
    s.writeBytes("--frame--\r\n".getBytes(StandardCharsets.ISO_8859_1));
    MjpegReader r = reader(s.toByteArray(), "frame", 100_000);
    byte[] first = r.next().orElseThrow();
    assertArrayEquals(tricky, first);
    assertEquals(24, ImageIO.read(new ByteArrayInputStream(first)).getHeight());
    assertArrayEquals(plain, r.next().orElseThrow());
    assertEquals(Optional.empty(), r.next(), "the closing boundary ends the stream");
  }

  @Test
  void anOversizedPartWithContentLengthIsSkippedAndTheStreamGoesOn() throws IOException {
    byte[] huge = new byte[50_000];
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    s.writeBytes(part("fr", JPEG_A, true));
    s.writeBytes(part("fr", huge, true));
    s.writeBytes(part("fr", JPEG_B, true));
    MjpegReader r = reader(s.toByteArray(), "fr", 1000);
    assertArrayEquals(JPEG_A, r.next().orElseThrow());
    BadFrameException e = assertThrows(BadFrameException.class, r::next);
    assertTrue(e.getMessage().contains("max_frame_bytes 1000"), e.getMessage());
    assertArrayEquals(JPEG_B, r.next().orElseThrow());
  }

  @Test
  void aBoundaryDeclaredWithItsDashesIsFoundEitherWay() throws IOException {
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    s.writeBytes(part("--cam", JPEG_A, true)); // written as ----cam, as RFC 2046 says
    s.writeBytes(part("cam", JPEG_B, false)); // written as --cam, as some cameras do
    s.writeBytes(part("cam", JPEG_A, true));
    MjpegReader r = reader(s.toByteArray(), "--cam", 1000);
    assertArrayEquals(JPEG_A, r.next().orElseThrow());
    assertArrayEquals(JPEG_B, r.next().orElseThrow());
    assertArrayEquals(JPEG_A, r.next().orElseThrow());
  }

  @Test
  void garbageWithoutAJpegStartIsAnErrorAfterOneFramesWorth() {
    byte[] junk = new byte[5000];
    java.util.Arrays.fill(junk, (byte) 'x');
    IOException e = assertThrows(IOException.class, () -> reader(junk, null, 1000).next());
    assertTrue(e.getMessage().contains("no JPEG start"), e.getMessage());
  }
}
