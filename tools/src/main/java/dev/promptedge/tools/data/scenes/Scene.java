package dev.promptedge.tools.data.scenes;

import dev.promptedge.runtime.image.Box;
import dev.promptedge.tools.data.Rle;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * One generated scene: the RGB canvas and its items in paint order, each with the exact mask of its
 * visible pixels (later items occlude earlier ones). The image is owned by whoever holds the
 * record.
 *
 * @param image the canvas, {@code TYPE_INT_RGB}
 * @param items the items, bottom to top
 */
public record Scene(BufferedImage image, List<Item> items) {

  /** Copies the list. */
  public Scene {
    items = List.copyOf(items);
  }

  /**
   * One Fashion-MNIST item on the canvas.
   *
   * @param classIndex the Fashion-MNIST class, 0..9
   * @param visible the item's visible pixels
   * @param box the bounds of the visible pixels
   */
  public record Item(int classIndex, Rle visible, Box box) {}
}
