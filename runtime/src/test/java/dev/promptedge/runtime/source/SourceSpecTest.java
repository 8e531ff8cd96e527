package dev.promptedge.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceSpecTest {

  @Test
  void credentialsNeverShowInTheDisplayedUrl() {
    assertEquals(
        "http://***@cam.local:8080/mjpeg?x=a@b",
        new SourceSpec("c", "http://admin:s3cret@cam.local:8080/mjpeg?x=a@b", 0, List.of())
            .displayUrl());
    assertEquals(
        "https://cam.local/@x",
        new SourceSpec("c", "https://cam.local/@x", 0, List.of()).displayUrl());
    assertEquals(
        "exec:ffmpeg -i x -", new SourceSpec("c", "exec:ffmpeg -i x -", 0, List.of()).displayUrl());
  }

  @Test
  void badUrlsAreRefusedWithoutEchoingThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SourceSpec("c", "http://admin:s3cret@cam local/", 0, List.of()));
    assertTrue(e.getMessage().contains("not a valid URL"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new SourceSpec("c", "http:///x", 0, List.of()));
    assertThrows(
        IllegalArgumentException.class, () -> new SourceSpec("c", "ftp://cam/", 0, List.of()));
    assertThrows(
        IllegalArgumentException.class, () -> new SourceSpec("a/b", "http://cam/", 0, List.of()));
  }

  @Test
  void execCommandsSplitAtSpacesWithQuotes() throws IOException {
    assertEquals(
        List.of("ffmpeg", "-i", "/tmp/my frames/%03d.png", "-vf", "scale=64:48", "-"),
        ExecMjpegStream.split(" ffmpeg  -i '/tmp/my frames/%03d.png' -vf \"scale=64:48\" - "));
    assertEquals(List.of("a", ""), ExecMjpegStream.split("a ''"));
    assertThrows(IOException.class, () -> ExecMjpegStream.split("ffmpeg -i 'x"));
  }
}
