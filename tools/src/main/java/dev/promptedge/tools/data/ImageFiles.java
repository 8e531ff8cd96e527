package dev.promptedge.tools.data;

import dev.promptedge.runtime.image.ImageDecodeException;
import dev.promptedge.runtime.image.ImageDecoder;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Image file access for the readers: header sizes, and decoding through the runtime's decoder. */
final class ImageFiles {

  /** One decoder for all readers: immutable and thread-safe. */
  static final ImageDecoder DECODER = new ImageDecoder();

  private ImageFiles() {}

  /** True when the file name ends in .png, .jpg or .jpeg (any case). */
  static boolean isImageName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
  }

  /** The name without its extension. */
  static String stem(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** Reads and decodes {@code file} with the runtime's decoder. */
  static BufferedImage decode(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new DatasetException(file, "cannot read the image: " + e, e);
    }
    try {
      return DECODER.decode(bytes);
    } catch (ImageDecodeException e) {
      throw new DatasetException(file, e.getMessage(), e);
    }
  }

  /** The width and height in the file's header, without decoding pixels. */
  static Dimension headerSize(Path file) {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        throw new DatasetException(file, "cannot open the image file");
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new DatasetException(file, "not a PNG or JPEG image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return new Dimension(reader.getWidth(0), reader.getHeight(0));
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new DatasetException(file, "cannot read the image header: " + e.getMessage(), e);
    }
  }
}
