package dev.promptedge.tools.quantize;

import dev.promptedge.runtime.image.ImageDecodeException;
import dev.promptedge.runtime.image.ImageDecoder;
import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.tools.pack.SelfTestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Images for calibration and held-out drift checks, with where they came from: PNG/JPEG files of a
 * directory decoded by the runtime's {@link ImageDecoder}, or seeded synthetic images. Immutable.
 *
 * @param images decoded images, in file-name order
 * @param description what the images are, for provenance
 * @param sha256 SHA-256 of the listing (file name and file SHA-256 per line), empty for synthetic
 */
public record CalibrationImages(List<BufferedImage> images, String description, String sha256) {

  public CalibrationImages {
    images = List.copyOf(images);
  }

  /**
   * The {@code .png}, {@code .jpg} and {@code .jpeg} files directly in {@code dir}, by name.
   *
   * @throws QuantizationException when the directory has no such file or one does not decode
   */
  public static CalibrationImages fromDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new QuantizationException("calibration directory " + dir + " does not exist");
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files =
          listing
              .filter(Files::isRegularFile)
              .filter(
                  p -> {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
                  })
              .sorted()
              .toList();
    }
    if (files.isEmpty()) {
      throw new QuantizationException(
          "calibration directory " + dir + " has no .png, .jpg or .jpeg files");
    }
    ImageDecoder decoder = new ImageDecoder();
    List<BufferedImage> images = new ArrayList<>();
    StringBuilder listing = new StringBuilder();
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      try {
        images.add(decoder.decode(bytes));
      } catch (ImageDecodeException e) {
        throw new QuantizationException(
            "calibration image " + file + " does not decode: " + e.getMessage());
      }
      listing.append(file.getFileName()).append(' ').append(Sha256.hex(bytes)).append('\n');
    }
    return new CalibrationImages(
        images,
        images.size() + " images from " + dir,
        Sha256.hex(listing.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * {@code count} synthetic images ({@link SelfTestImages#synthetic}) with seeds from {@code from}.
   */
  public static CalibrationImages synthetic(int width, int height, int count, long from) {
    List<BufferedImage> images = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      images.add(SelfTestImages.synthetic(width, height, from + i));
    }
    return new CalibrationImages(
        images,
        count + " synthetic images (SelfTestImages seeds " + from + ".." + (from + count - 1) + ")",
        "");
  }

  /** The first {@code n} images (all when fewer). */
  public CalibrationImages first(int n) {
    return new CalibrationImages(
        images.subList(0, Math.min(n, images.size())), description, sha256);
  }
}
