/**
 * The demo: a backbone and two trained bundles embedded in the tool's jar ({@link
 * dev.promptedge.tools.demo.DemoAssets}), installed into one runtime task engine and swapped live
 * on embedded validation scenes by {@link dev.promptedge.tools.demo.DemoWorkflow}, each result
 * printed beside the scene's truth and drawn.
 */
package dev.promptedge.tools.demo;
