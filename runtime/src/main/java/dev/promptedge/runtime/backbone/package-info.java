/**
 * The frozen backbone every task shares: its card (the input contract, file hashes and provenance)
 * and the checked, memory-mapped model that encodes pixels and prompts into features.
 */
package dev.promptedge.runtime.backbone;
