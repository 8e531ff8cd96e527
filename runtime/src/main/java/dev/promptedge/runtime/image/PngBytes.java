package dev.promptedge.runtime.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes an image as PNG bytes in memory with ImageIO's PNG writer, which writes no time stamp or
 * other varying chunk, so equal images give equal bytes on one JDK. Uses a memory cache: ImageIO's
 * default creates a temp file per image, which also fails while the JVM shuts down (a daemon
 * answering its last requests on SIGTERM). Stateless and thread-safe.
 */
public final class PngBytes {

  private PngBytes() {}

  /** The PNG encoding of {@code image} (its colour model decides palette, grey or RGB). */
  public static byte[] encode(BufferedImage image) {
    var writers = ImageIO.getImageWriters(ImageTypeSpecifier.createFromRenderedImage(image), "png");
    if (!writers.hasNext()) {
      throw new IllegalStateException("this JVM has no ImageIO PNG writer for " + image);
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(image);
    } catch (IOException e) {
      throw new UncheckedIOException("writing a PNG to memory failed", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
