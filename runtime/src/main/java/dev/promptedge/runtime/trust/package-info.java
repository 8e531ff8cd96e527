/**
 * What a device trusts and how outside bytes prove it: Ed25519 keys ({@link
 * dev.promptedge.runtime.trust.Ed25519Keys}), how signatures count against trusted keys ({@link
 * dev.promptedge.runtime.trust.SignatureTally}, for bundles and update metadata alike), bundle
 * signatures ({@link dev.promptedge.runtime.trust.BundleSignatures}) and the profile's rule for
 * uploads ({@link dev.promptedge.runtime.trust.UploadTrust}). Every bundle from outside passes a
 * {@link dev.promptedge.runtime.trust.BundleVerifier} before the engine reads it.
 */
package dev.promptedge.runtime.trust;
