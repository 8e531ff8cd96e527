/**
 * Over-the-air bundle updates: {@link dev.promptedge.runtime.ota.UpdateClient} follows The Update
 * Framework's client workflow for a root/targets/snapshot/timestamp repository of plain files
 * ({@link dev.promptedge.runtime.ota.RepositoryLayout}) and installs the bundles meant for this
 * device through the task engine.
 */
package dev.promptedge.runtime.ota;
