/**
 * The demo's data: a deterministic generator of cluttered scenes with Fashion-MNIST items, written
 * in all three dataset layouts of {@code dev.promptedge.tools.data} from the same scenes.
 *
 * <p>{@link dev.promptedge.tools.data.scenes.SceneGenerator} makes one scene from a seed: a
 * gradient background with 2-4 distractor textures (stripes, noise, radial glows, blobs), then
 * 1..maxItems glyphs, each scaled to 30-65 % of the canvas, tinted a random saturated colour and
 * placed at random; later items cover earlier ones, and a placement that would leave an earlier
 * item less than half visible is retried. An item's pixels are its scaled glyph's pixels above
 * {@value dev.promptedge.tools.data.scenes.SceneGenerator#THRESHOLD}, so masks and boxes are exact.
 * {@link dev.promptedge.tools.data.scenes.SceneDatasets} writes (command {@code promptedge data
 * generate}):
 *
 * <pre>
 * OUT/recipe.json                               seed, options, glyph files and their SHA-256
 * OUT/detection/SPLIT/instances.json            COCO: categories 1..10, bbox [x,y,w,h] = bounds of
 * OUT/detection/SPLIT/images/NNNNNN.png           the visible pixels, segmentation = compact RLE
 * OUT/segmentation/SPLIT/labels.txt             background + the 10 classes
 * OUT/segmentation/SPLIT/images/NNNNNN.png      (same bytes as detection's)
 * OUT/segmentation/SPLIT/masks/NNNNNN.png       VOC palette PNG: 0 background, 1..10 items
 * OUT/classification/SPLIT/CLASS/NNNNNN_K.png   crop of item K's visible box plus 2 pixels
 * </pre>
 *
 * SPLIT is {@code train} (items from the 60,000 training glyphs) and/or {@code val} (from the
 * 10,000 test glyphs), so no glyph is shared between the splits. Class names are {@link
 * dev.promptedge.tools.data.FashionMnist#LABELS}; COCO and the masks keep that order, while
 * ImageFolder orders classes by folder name. Scene {@code i} depends only on the seed, the split,
 * {@code i}, the options and the glyphs; the same inputs give byte-identical files on one JDK.
 */
package dev.promptedge.tools.data.scenes;
