"""The counter driver for the tests: the tests' name for :mod:`nafitha.harness.counter_driver`."""

from nafitha.harness.counter_driver import CounterDriver, State, start_counter

__all__ = ["CounterDriver", "State", "start_counter"]
