/** Prompt bundles: parsing and checking them against a backbone card, and opening their heads. */
package dev.promptedge.runtime.bundle;
