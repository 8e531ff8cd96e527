package dev.promptedge.tools.publish;

import dev.promptedge.runtime.ota.Ed25519Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Ed25519 key files: the private key as PKCS#8 (PEM, or DER when read), readable by its owner only
 * (mode 0600), and the public key as X.509 PEM. Stateless.
 */
public final class KeyFiles {

  static final String PRIVATE_SUFFIX = ".key";
  static final String PUBLIC_SUFFIX = ".pub";
  private static final String PRIVATE_PEM = "PRIVATE KEY";
  private static final String PUBLIC_PEM = "PUBLIC KEY";
  private static final int SEED_BYTES = 32;

  private KeyFiles() {}

  /**
   * Generates a key pair and writes {@code dir/NAME.key} (mode 0600) and {@code dir/NAME.pub}.
   *
   * @throws FileAlreadyExistsException when either file exists; nothing is overwritten
   */
  public static SigningKey generate(Path dir, String name) throws IOException {
    Path privateFile = dir.resolve(name + PRIVATE_SUFFIX);
    Path publicFile = dir.resolve(name + PUBLIC_SUFFIX);
    for (Path file : new Path[] {privateFile, publicFile}) {
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(
            file.toString(), null, "refusing to overwrite a key file: choose another --name");
      }
    }
    KeyPair pair;
    try {
      pair = KeyPairGenerator.getInstance(Ed25519Keys.ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519: " + e, e);
    }
    Files.createDirectories(dir);
    Files.createFile(
        privateFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        privateFile,
        pem(PRIVATE_PEM, pair.getPrivate().getEncoded()),
        StandardCharsets.US_ASCII,
        StandardOpenOption.WRITE);
    Files.writeString(
        publicFile,
        pem(PUBLIC_PEM, pair.getPublic().getEncoded()),
        StandardCharsets.US_ASCII,
        StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    return new SigningKey(pair.getPrivate(), pair.getPublic());
  }

  /**
   * Reads a private key file (PKCS#8, PEM or DER) and derives its public key.
   *
   * @throws IllegalArgumentException when the file is not an Ed25519 private key
   */
  public static SigningKey read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.US_ASCII);
    byte[] der = text.contains("-----BEGIN " + PRIVATE_PEM) ? unpem(text, file) : bytes;
    PrivateKey key;
    try {
      key =
          KeyFactory.getInstance(Ed25519Keys.ALGORITHM)
              .generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          file
              + " is not an Ed25519 private key in PKCS#8 (PEM or DER): make one with"
              + " promptedge keys generate");
    }
    return new SigningKey(key, derivePublic(key, der, file).getPublic());
  }

  /**
   * The JDK has no call that derives an Ed25519 public key; the key pair generator does it from the
   * 32-byte seed, which ends the PKCS#8 encoding.
   */
  private static KeyPair derivePublic(PrivateKey key, byte[] der, Path file) {
    byte[] seed =
        Arrays.copyOfRange(
            key.getEncoded(), key.getEncoded().length - SEED_BYTES, key.getEncoded().length);
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(Ed25519Keys.ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
      KeyPair pair = generator.generateKeyPair();
      if (!Arrays.equals(pair.getPrivate().getEncoded(), key.getEncoded())) {
        throw new IllegalArgumentException(file + ": cannot derive the public key of this key");
      }
      return pair;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519: " + e, e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static byte[] unpem(String text, Path file) {
    int begin = text.indexOf("-----BEGIN " + PRIVATE_PEM + "-----");
    int end = text.indexOf("-----END " + PRIVATE_PEM + "-----");
    if (end < begin) {
      throw new IllegalArgumentException(file + " has a PEM header but no END line");
    }
    String body = text.substring(begin + ("-----BEGIN " + PRIVATE_PEM + "-----").length(), end);
    return Base64.getMimeDecoder().decode(body);
  }

  /** Hands the generator a fixed seed instead of random bytes. */
  private static final class FixedSeed extends SecureRandom {
    private final byte[] seed;

    FixedSeed(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("unexpected request for " + bytes.length + " bytes");
      }
      System.arraycopy(seed, 0, bytes, 0, seed.length);
    }
  }
}
