/** Packing bundles: contents plus self-test expectations computed through the runtime. */
package dev.promptedge.tools.pack;
