/**
 * Image input shared by host and device: decoding JPEG/PNG bytes ({@link
 * dev.promptedge.runtime.image.ImageDecoder}), the aspect-preserving {@link
 * dev.promptedge.runtime.image.Letterbox} transform and the {@link
 * dev.promptedge.runtime.image.Box} geometry it maps between image and model coordinates, and
 * turning an image into the backbone's normalized float input ({@link
 * dev.promptedge.runtime.image.Preprocessor}).
 */
package dev.promptedge.runtime.image;
