"""HTTP handlers: parse and check input, call one use case, shape the answer."""
