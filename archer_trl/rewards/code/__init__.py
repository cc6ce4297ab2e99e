"""The code reward: test formats decoded into one shape (`formats`), and the TRL reward function (`reward`) that runs
programs in `archer_trl.rewards.sandbox`."""
