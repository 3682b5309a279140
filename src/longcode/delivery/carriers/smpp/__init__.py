"""SMPP 3.4 carriers over `smpp34` (its Rust core does framing, timers and PDUs; the window is ours)."""
