/** File-system helpers shared by the tools and the benchmarks, such as deleting scratch trees. */
package dev.promptedge.tools.files;
