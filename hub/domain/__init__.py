"""The hub's pure rules: what to do with an arriving event, and what it does to the projections."""
