package dev.spillway.embedding.onnx;

/** Where the ONNX sessions run ({@code embedding.device}). */
public enum Device {
  /** CUDA when the CUDA build of ONNX Runtime and a GPU are present, else CPU (logged once). */
  AUTO,
  /** The CPU execution provider. */
  CPU,
  /** The CUDA execution provider; start-up fails when it is not available. */
  CUDA
}
