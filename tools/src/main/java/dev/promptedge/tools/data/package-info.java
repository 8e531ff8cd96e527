/**
 * Datasets for training and evaluation, read from the formats people already have, engine-neutral
 * (plain Java images and arrays, no DJL). A {@link dev.promptedge.tools.data.SampleSet} is an
 * indexed list of {@link dev.promptedge.tools.data.Sample}s whose images are decoded by the
 * runtime's {@link dev.promptedge.runtime.image.ImageDecoder} and whose targets are in original
 * image coordinates (the trainer letterboxes with the runtime's {@code Preprocessor}). Opening a
 * dataset checks it; every problem is one {@link dev.promptedge.tools.data.DatasetException} naming
 * the file and the problem.
 *
 * <h2>Layouts</h2>
 *
 * <pre>
 * detection (COCO)                     segmentation (class masks)        classification (ImageFolder)
 * DIR/instances.json                   DIR/labels.txt                    DIR/CLASS_NAME/IMAGE.png|jpg
 * DIR/images/FILE_NAME.png|jpg         DIR/images/NAME.png|jpg|jpeg      (classes sorted by name)
 *                                      DIR/masks/NAME.png
 * </pre>
 *
 * <ul>
 *   <li><b>COCO</b> ({@link dev.promptedge.tools.data.CocoDataset}): {@code images} (id, file_name
 *       relative to {@code images/}, width, height), {@code annotations} (image_id, category_id,
 *       bbox {@code [x, y, w, h]} in pixels, iscrowd, segmentation as polygons or RLE with counts
 *       as a list or COCO's compact string), {@code categories} (id, name). Labels are the category
 *       names in id order.
 *   <li><b>Class masks</b> ({@link dev.promptedge.tools.data.SegmentationDataset}): one PNG per
 *       image, same size, palette PNG (index = class, as Pascal VOC) or 8-bit grey (value = class);
 *       255 means "ignore"; {@code labels.txt} has one class name per line, line 1 is class 0
 *       (usually {@code background}).
 *   <li><b>ImageFolder</b> ({@link dev.promptedge.tools.data.ImageFolderDataset}): one folder per
 *       class, class index = position of the folder name in sorted order.
 * </ul>
 *
 * <h2>Splits</h2>
 *
 * A dataset directory either holds the layout above once, and {@link
 * dev.promptedge.tools.data.Datasets} splits it deterministically by a {@link
 * dev.promptedge.tools.data.SplitRule} (seed, validation fraction) on the sample ids, or it holds
 * {@code DIR/train/} and {@code DIR/val/}, each with the layout above, and those are the splits.
 *
 * <h2>Fashion-MNIST</h2>
 *
 * {@link dev.promptedge.tools.data.FashionMnist} reads the IDX files of Debian's {@code
 * dataset-fashion-mnist} package ({@code /usr/share/datasets/fashion-mnist}); the scene generator
 * in {@code dev.promptedge.tools.data.scenes} turns them into datasets in all three layouts.
 */
package dev.promptedge.tools.data;
