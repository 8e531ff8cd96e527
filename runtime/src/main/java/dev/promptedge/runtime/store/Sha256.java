package dev.promptedge.runtime.store;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as lowercase hex, the form every PromptEdge format records. */
public final class Sha256 {

  private Sha256() {}

  /** Lowercase hex SHA-256 of {@code bytes}. */
  public static String hex(byte[] bytes) {
    return hex(ByteBuffer.wrap(bytes));
  }

  /** Lowercase hex SHA-256 of the remaining bytes of {@code bytes}; its position is unchanged. */
  public static String hex(ByteBuffer bytes) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    digest.update(bytes.duplicate());
    return HexFormat.of().formatHex(digest.digest());
  }
}
