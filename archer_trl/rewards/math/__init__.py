"""The math reward: extraction (``..extract``), normalisation (`normalize`), the math-verify worker (`worker`), its
hang-proof process pool (`pool`) and the TRL reward function (`reward`)."""
