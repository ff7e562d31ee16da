/** The end of `finetune-prep prepare --help`: examples, the output, the environment, the exit codes. */
export const PREPARE_HELP = `
Examples:
  # The original notebook: lamini docs + Pythia-70m, 2048 tokens, left truncation,
  # labels = input_ids, the 90/10 split of datasets' train_test_split(seed=123)
  $ finetune-prep prepare --out out

  # Offline, from the Hugging Face cache only
  $ HF_HUB_OFFLINE=1 finetune-prep prepare

  # Your own data, a template from a file, loss on the answers only
  $ finetune-prep prepare --dataset ./qa.jsonl --template @prompt.txt --labels mask-prompt

  # A template on the command line (bash's $'…' turns \\n into newlines)
  $ finetune-prep prepare --template $'### Instruction:\\n{question}\\n\\n### Response:'

  # Blocks of exactly 1024 tokens (TRL ConstantLengthDataset style), as JSON Lines
  $ finetune-prep prepare --pack --max-length 1024 --format jsonl

Output, in --out:
  train.parquet, test.parquet  one row per example: the formatted prompt (question), answer,
                               input_ids, attention_mask, labels (lists of int32). Python:
                               load_dataset("parquet", data_files={"train": "out/train.parquet", ...})
  stats.json                   rows per split, token-length percentiles, truncation, settings
  Each file is written to a temp file and renamed into place: never half-written.

Environment:
  HF_HOME          Hugging Face folder; the cache is $HF_HOME/hub (default ~/.cache/huggingface)
  HF_HUB_CACHE     the cache folder itself (instead of $HF_HOME/hub)
  HF_HUB_OFFLINE   1: no network, read the cache only (same as --offline)
  HF_TOKEN         access token for gated or private repos (sent to the Hub only, never written)
  HF_ENDPOINT      the Hub's URL (default https://huggingface.co)
  HF_HUB_ETAG_TIMEOUT  seconds to wait for the Hub's answer (default 10); a Hub that cannot be
                   reached is not waited for: the cached files are used, with a warning
  HF_HUB_DISABLE_PROGRESS_BARS=1  no progress bars
  DEBUG=finetune-prep             stack traces on errors (same as --debug)

Exit status: 0 done, 1 data or processing error, 2 usage error.
`;
