"""A realistic 10 MB list response, made on the spot (deterministic, no file in the repo)."""

from __future__ import annotations

import json
from typing import Any

TEN_MB = 10 * 1024 * 1024


def employees(count: int) -> list[dict[str, Any]]:
    """``count`` HRIS-like records with nested objects and arrays, ~330 bytes each."""
    return [
        {
            "id": f"emp_{i:06d}",
            "first_name": f"First{i}",
            "last_name": f"Last{i % 977}",
            "work_email": f"person{i}@example.com",
            "department": ("Engineering", "Sales", "Support", "Finance")[i % 4],
            "salary": 40_000 + (i * 37) % 90_000,
            "active": i % 11 != 0,
            "tags": [f"t{i % 7}", f"t{i % 5}"],
            "home_location": {
                "city": ("Berlin", "London", "Austin")[i % 3],
                "zip": f"{i % 99999:05d}",
            },
            "updated_at": "2025-01-01T00:00:00Z",
        }
        for i in range(count)
    ]


def big_document(size: int = TEN_MB) -> dict[str, Any]:
    """A ``{"data": [...], "next": ...}`` page at least ``size`` bytes long as JSON."""
    per_record = len(json.dumps(employees(1)[0])) + 2
    return {"data": employees(size // per_record + 1), "next": "cursor_1"}


def big_body(size: int = TEN_MB) -> bytes:
    body = json.dumps(big_document(size)).encode()
    assert len(body) >= size
    return body
