/** Device profiles: the DeviceConfig a board runs with, read and checked. */
package dev.promptedge.runtime.config;
