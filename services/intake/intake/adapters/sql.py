"""Intake's set-based SQL helpers now live in `huiyin.sqlsets` (shared by every service)."""

from huiyin.sqlsets import Column, column_params, unnest_insert, unnest_select

__all__ = ["Column", "column_params", "unnest_insert", "unnest_select"]
