"""Use cases: one function per thing a person or device does; one transaction and one event each."""
