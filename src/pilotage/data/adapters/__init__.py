"""Adapters: real export formats of marketing tools -> canonical tables (see registry)."""

from pilotage.data.adapters.base import Adapter
from pilotage.data.adapters.registry import ADAPTERS, get_adapter

__all__ = ["ADAPTERS", "Adapter", "get_adapter"]
