package dev.promptedge.runtime.daemon;

import dev.promptedge.format.TrustedKey;
import dev.promptedge.runtime.backbone.CardFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Device profiles for daemon tests: micro backbone, loopback API, GPIO off unless a test adds it.
 */
public final class TestProfiles {

  private TestProfiles() {}

  /**
   * Writes a profile for {@code card} and {@code store} without updates, plus {@code extra} lines.
   */
  public static Path withLines(Path file, CardFile card, Path store, String extra)
      throws IOException {
    write(file, card, store, "", 0, List.of(), 0);
    return Files.writeString(file, extra, java.nio.file.StandardOpenOption.APPEND);
  }

  /**
   * Writes a profile for {@code card} and {@code store}; {@code channel} may be empty (no updates),
   * {@code keys} are pinned in updates.trusted_keys.
   */
  public static Path write(
      Path file,
      CardFile card,
      Path store,
      String channel,
      int pollSeconds,
      List<TrustedKey> keys,
      int threshold)
      throws IOException {
    List<String> lines = head(card, store);
    lines.add("api { bind_address: \"127.0.0.1\" port: 0 max_batch: 4 max_wait_ms: 5 }");
    lines.add("updates {");
    if (!channel.isEmpty()) {
      lines.add("  channel_url: \"" + channel + "\"");
      lines.add("  poll_interval_seconds: " + pollSeconds + " poll_jitter_seconds: 0");
    }
    if (threshold > 0) {
      lines.add("  bundle_signature_threshold: " + threshold);
    }
    for (TrustedKey key : keys) {
      lines.add(
          "  trusted_keys { key_id: \""
              + key.getKeyId()
              + "\" public_key_base64: \""
              + key.getPublicKeyBase64()
              + "\" }");
    }
    lines.add("}");
    return Files.writeString(file, String.join("\n", lines) + "\n");
  }

  /**
   * Writes a profile for {@code card} and {@code store} whose API, on loopback port 0, wants the
   * bearer {@code token} and has the fields {@code api}, followed by the top-level {@code
   * sections}, one a line.
   */
  public static Path withApi(
      Path file, CardFile card, Path store, String token, String api, String... sections)
      throws IOException {
    List<String> lines = head(card, store);
    lines.add("api { bind_address: \"127.0.0.1\" port: 0 token: \"" + token + "\" " + api + " }");
    lines.addAll(List.of(sections));
    return Files.writeString(file, String.join("\n", lines) + "\n");
  }

  /** The board, backbone, interpreter and store lines every test profile starts with. */
  private static List<String> head(CardFile card, Path store) {
    List<String> lines = new ArrayList<>();
    lines.add("format_version: 1");
    lines.add("board: \"test-board\"");
    lines.add("backbone_card: \"" + card.path().toAbsolutePath() + "\"");
    lines.add("interpreter { threads: 1 xnnpack: false }");
    lines.add("store { directory: \"" + store.toAbsolutePath() + "\" max_bundle_bytes: 1048576 }");
    return lines;
  }
}
