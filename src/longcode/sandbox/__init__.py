"""The sandbox: the simulated carrier's state and the emulator's control plane."""
