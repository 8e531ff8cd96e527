package dev.promptedge.tools.data;

import dev.promptedge.runtime.image.PngBytes;
import dev.promptedge.tools.files.FileTrees;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Fashion-MNIST itself as an ImageFolder classification dataset: {@code OUT/SPLIT/CLASS/NNNNN.png}
 * (28x28 grey PNGs, the glyph's index in its IDX file as the name), written from a range of the
 * training or the test images. Stateless.
 */
public final class FashionMnistFolders {

  /** Progress of one split: {@code done} of {@code total} images written. */
  public interface Progress {
    /** Called after every written image. */
    void written(Split split, int done, int total);
  }

  private FashionMnistFolders() {}

  /**
   * Writes {@code count} images of {@code glyphs} from index {@code from} (fewer when the file ends
   * first) to {@code out/SPLIT}, replacing what was there; a failure leaves no half-written split
   * behind. Returns how many were written.
   */
  public static int write(
      FashionMnist glyphs, int from, int count, Split split, Path out, Progress progress)
      throws IOException {
    if (from < 0 || from >= glyphs.size()) {
      throw new IllegalArgumentException(
          "the first image " + from + " is outside the file's " + glyphs.size() + " images");
    }
    int n = Math.min(count, glyphs.size() - from);
    Path dir = out.resolve(split.dirName());
    Path partial = out.resolve(split.dirName() + ".partial");
    FileTrees.deleteTree(partial);
    for (String label : FashionMnist.LABELS) {
      Files.createDirectories(partial.resolve(label));
    }
    for (int k = 0; k < n; k++) {
      int i = from + k;
      Files.write(
          partial
              .resolve(FashionMnist.LABELS.get(glyphs.label(i)))
              .resolve(String.format(Locale.ROOT, "%05d.png", i)),
          PngBytes.encode(image(glyphs, i)));
      progress.written(split, k + 1, n);
    }
    FileTrees.deleteTree(dir);
    Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
    return n;
  }

  /** Glyph {@code i} as a grey image. */
  static BufferedImage image(FashionMnist glyphs, int i) {
    BufferedImage image =
        new BufferedImage(FashionMnist.SIDE, FashionMnist.SIDE, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < FashionMnist.SIDE; y++) {
      for (int x = 0; x < FashionMnist.SIDE; x++) {
        image.getRaster().setSample(x, y, 0, glyphs.pixel(i, x, y));
      }
    }
    return image;
  }
}
