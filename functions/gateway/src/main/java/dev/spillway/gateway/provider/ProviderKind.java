package dev.spillway.gateway.provider;

/** The API dialect a provider speaks. */
public enum ProviderKind {
  /** OpenAI Chat Completions: OpenAI, Azure-style deployments, vLLM, Ollama, Groq, Together, … */
  OPENAI,
  /** Anthropic Messages API. */
  ANTHROPIC
}
