"""The math reward: extraction (``..extract``), the fail-closed grader (`grader`: `tex` canonical TeX, `numbers`,
`units`, `quantity`, `choices`, `words`, `parse` typed values, `split`, `compare`, `real_sets`, `symbolic`), the
worker process that runs it (`worker`), its hang-proof process pool (`pool`) and the TRL reward function
(`reward`)."""
