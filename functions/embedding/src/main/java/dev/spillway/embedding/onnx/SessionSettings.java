package dev.spillway.embedding.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * ONNX Runtime session options, chosen rather than left to defaults (see the function's README for
 * why each value).
 *
 * @param intraOpThreads threads one operator may use; 0 lets ONNX Runtime pick (one per core)
 * @param interOpThreads threads running independent operators at once (only with {@code parallel});
 *     0 lets ONNX Runtime pick
 * @param parallel the parallel execution mode (for graphs with independent branches; a BERT encoder
 *     is a chain, so sequential is right)
 * @param spinning whether idle pool threads spin waiting for work: lower latency for back-to-back
 *     operators, but burnt cores that the HTTP threads and the tokenizer need
 * @param memoryArena whether the CPU allocator keeps freed blocks in an arena for reuse
 * @param memoryPattern whether ONNX Runtime pre-plans allocations per input shape; useless with
 *     varying batch shapes and a source of growth, so off
 * @param optimized whether every graph optimisation is applied ({@code ALL_OPT}), else the
 *     runtime's default
 */
public record SessionSettings(
    int intraOpThreads,
    int interOpThreads,
    boolean parallel,
    boolean spinning,
    boolean memoryArena,
    boolean memoryPattern,
    boolean optimized) {

  /** Builds session options (the caller closes them). */
  public OrtSession.SessionOptions toOptions() throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(intraOpThreads);
    options.setInterOpNumThreads(interOpThreads);
    options.setExecutionMode(parallel ? ExecutionMode.PARALLEL : ExecutionMode.SEQUENTIAL);
    options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
    options.addConfigEntry("session.inter_op.allow_spinning", spinning ? "1" : "0");
    options.setCPUArenaAllocator(memoryArena);
    options.setMemoryPatternOptimization(memoryPattern);
    options.setOptimizationLevel(optimized ? OptLevel.ALL_OPT : OptLevel.BASIC_OPT);
    return options;
  }
}
