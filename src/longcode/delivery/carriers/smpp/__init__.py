"""SMPP 3.4 carriers over `smpp34` (its Rust core does framing, windowing, timers and PDUs)."""
