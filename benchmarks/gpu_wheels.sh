#!/usr/bin/env bash
# The wheels benchmarks/gpu_check.py needs on a GPU machine without network, downloaded into .whl/ (git-ignored).
# That machine has Python 3.12, torch (CUDA), transformers, accelerate and peft; it lacks trl, datasets, math-verify
# and DeepSpeed. Run this where PyPI is reachable, carry .whl/ along with the checkout, then on the GPU machine:
#   pip install --no-index --find-links .whl trl==1.16.0 datasets 'math-verify[antlr4-13-2]' deepspeed
#   pip install --no-deps --no-build-isolation -e .
#   python benchmarks/gpu_check.py
# Exact pins: the versions the CPU test-suite runs, except pyarrow: 24.0.0 is the oldest datasets 5.2 accepts and
# 6 MB smaller than 26. Dependencies the GPU machine may lack are included (pip takes
# what is installed there and the rest from .whl/); the torch stack's own dependencies are not.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
DEST=${DEST:-.whl}
PY_VERSION=${PY_VERSION:-3.12}  # the GPU machine's Python
LIMIT_MIB=64
rm -rf "$DEST"
mkdir -p "$DEST"

WHEELS=(
  trl==1.16.0
  datasets==5.2.0 pyarrow==24.0.0 pandas==3.1.1 python-dateutil==4.0.0 six==1.17.0 tzdata==2026.6
  dill==0.4.1 multiprocess==0.70.19 xxhash==4.1.0
  math-verify==0.9.0 latex2sympy2_extended==1.11.0 antlr4-python3-runtime==4.13.2
  hjson==3.1.0 msgpack==1.2.4 ninja==1.13.2 py-cpuinfo==9.0.0 einops==0.8.2
  pydantic==2.14.4 pydantic-core==2.50.5 annotated-types==0.8.0 typing-inspection==0.4.5
)
"$PYTHON" -m pip download -q --no-deps --only-binary=:all: --python-version "$PY_VERSION" --implementation cp --abi "cp${PY_VERSION/./}" \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
  -d "$DEST" "${WHEELS[@]}"

# DeepSpeed is published as a source archive only. Built without its CUDA ops (DS_BUILD_OPS=0), it is pure Python;
# the build imports torch, so it uses the calling environment's torch instead of an isolated build environment.
DS_BUILD_OPS=0 "$PYTHON" -m pip wheel -q --no-deps --no-build-isolation -w "$DEST" deepspeed==0.19.8

# pyarrow alone is 47 MiB. Dropped from it, unused by datasets, trl and this project: Arrow Flight (RPC), two
# link-time copies of libarrow_python (the loader needs only .so.NNNN), C++ headers and the test-suite; from pandas,
# its test-suite. RECORD is rewritten to match. (Substrait stays: pyarrow.lib links it.)
"$PYTHON" - "$DEST" <<'PY'
import base64, hashlib, re, sys, zipfile
from pathlib import Path

DROP = {
    "pyarrow": r"pyarrow/(include|tests|src)/|flight|/libarrow_python\.so(\.\d+\.\d+\.\d+)?$",  # keeps .so.NNNN
    "pandas": r"pandas/tests/",
}
for wheel in Path(sys.argv[1]).glob("*.whl"):
    pattern = DROP.get(wheel.name.split("-")[0])
    if pattern is None:
        continue
    slim = wheel.with_suffix(".slim")
    with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(slim, "w", zipfile.ZIP_DEFLATED) as dst:
        kept = [i for i in src.infolist() if not re.search(pattern, i.filename)]
        record = next(i for i in kept if i.filename.endswith(".dist-info/RECORD"))
        lines = []
        for info in kept:
            if info is record:
                continue
            data = src.read(info)
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            lines.append(f"{info.filename},sha256={digest},{len(data)}")
        dst.writestr(record, "\n".join([*lines, f"{record.filename},,"]) + "\n")
    print(f"{wheel.name}: {wheel.stat().st_size >> 20} -> {slim.stat().st_size >> 20} MiB")
    slim.replace(wheel)
PY

ls -l "$DEST"
bytes=$(cat "$DEST"/*.whl | wc -c)
echo "$DEST: $(ls "$DEST" | wc -l) wheels, $((bytes / 1024)) KiB (limit ${LIMIT_MIB} MiB)"
[ "$bytes" -le $((LIMIT_MIB * 1024 * 1024)) ] || { echo "too large to carry" >&2; exit 1; }
