// Token spans, ids, tokens and decode against the Rust engine: Gemma 3 (SentencePiece-style BPE with byte fallback), Llama 3, Qwen 3 and Pythia (byte-level BPE).
// The token visualizer is checked on Gemma 3.
import { modelSpanSuite } from "./model-span-suite.js";

modelSpanSuite(["gemma3", "llama3", "qwen3", "pythia"]);
