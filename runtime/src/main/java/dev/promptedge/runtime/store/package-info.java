/** Durable files: atomic writes, the bundle store on disk and the digests that name files. */
package dev.promptedge.runtime.store;
