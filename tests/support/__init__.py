"""What every test suite shares: one way to wait for a condition, small TOML files."""

from tests.support.toml_files import DELETE, edit_toml, write_toml
from tests.support.waiting import condition_source, polling, wait_for

__all__ = ["DELETE", "condition_source", "edit_toml", "polling", "wait_for", "write_toml"]
