"""A class bigger than one machine: `grade --class --shard K/N` grades one deterministic slice.

A student belongs to shard K of N when the SHA-256 of their roster id (of the submission's name
when it matches nobody on the roster) is K-1 modulo N: the same student always lands in the same
shard, whichever machine runs it and whoever else is in the folder. Each shard's gradebook says
which shard it is (column `shard`), so merging them refuses a missing shard, a shard of another
split, the same student in two shards, or a student graded in a shard that is not theirs.
"""

import hashlib
import re
from dataclasses import dataclass

SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class ShardError(ValueError):
    """A shard that is not K/N, or shard gradebooks that do not add up to one class."""


@dataclass(frozen=True)
class Shard:
    index: int   # 1-based, as written
    count: int

    def __str__(self):
        return f"{self.index}/{self.count}"

    def holds(self, key):
        return shard_of(key, self.count) == self.index


def parse_shard(text):
    found = SHARD.match(text or "")
    if not found or not 1 <= int(found[1]) <= int(found[2]):
        raise ShardError(f"--shard must be K/N with 1 <= K <= N (e.g. 3/8), got {text!r}")
    return Shard(int(found[1]), int(found[2]))


def shard_of(key, count):
    """The 1-based shard of `key` among `count`."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") % count + 1


def merge_shards(tables):
    """One {student: row} from the shards' gradebooks ({where: {student: row}}); refuses gaps and overlaps.

    A shard that holds no students has an empty gradebook: it cannot say which shard it is, so
    it fills one gap, and the shards are complete when the files are as many as the shards.
    """
    if len(tables) == 1 and not any(row.get("shard") for rows in tables.values() for row in rows.values()):
        return next(iter(tables.values()))
    found = {}
    for where, rows in tables.items():
        shards = {row.get("shard", "") for row in rows.values()}
        if len(shards) > 1 or "" in shards:
            raise ShardError(f"{where}: not one shard's gradebook (its rows say shard {', '.join(sorted(shards))})")
        if shards:
            shard = parse_shard(shards.pop())
            if shard in found:
                raise ShardError(f"shard {shard} twice: {found[shard]} and {where}")
            found[shard] = where
    counts = {shard.count for shard in found}
    if len(counts) > 1:
        raise ShardError(f"the shards split the class in different ways ({', '.join(sorted(map(str, found)))})")
    count = counts.pop() if counts else len(tables)
    gaps = [f"{index}/{count}" for index in range(1, count + 1) if Shard(index, count) not in found]
    if len(gaps) > len(tables) - len(found):
        raise ShardError(f"shard {', '.join(gaps)} missing: grade it with --shard before merging")
    return _union(tables, {where: shard for shard, where in found.items()})


def _union(tables, shard_of_file):
    merged, owner = {}, {}
    for where, rows in tables.items():
        for student, row in rows.items():
            if student in owner:
                raise ShardError(f"{student} is in two shards: {owner[student]} and {where}")
            shard, key = shard_of_file[where], row.get("roster_id") or student
            if not shard.holds(key):
                raise ShardError(f"{where}: {student} belongs to shard {shard_of(key, shard.count)}/{shard.count}, not {shard}")
            owner[student], merged[student] = where, row
    return merged
