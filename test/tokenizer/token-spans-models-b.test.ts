// Token spans, ids, tokens and decode against the Rust engine: Llama 2 (SentencePiece-style BPE with byte fallback), DeepSeek V3, gpt-oss and GPT-4o (byte-level BPE).
// The token visualizer is checked on GPT-4o.
import { modelSpanSuite } from "./model-span-suite.js";

modelSpanSuite(["llama2", "deepseek_v3", "gptoss", "gpt4o"]);
