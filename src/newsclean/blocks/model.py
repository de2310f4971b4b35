"""Tree-ensemble inference in numpy, and the two-stage block model built on it.

The weights are gradient-boosted trees (trained with LightGBM by `train.py`) stored
as plain arrays in an `.npz` file: per tree, each node's feature, threshold and
children, and each leaf's value. Inference walks every tree for every block at once,
a few flat numpy `take`s per level of depth: a few dozen array operations per page,
whatever the number of trees. No pickle and no training library is needed at
run time.

Stage one scores each block from its feature row; stage two adds what stage one
thought of the block's neighbours (window means before and after, the nearest
confident article block) and, for HTML, of its DOM container.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import IO

import numpy as np


@dataclass(frozen=True)
class TreeEnsemble:
    """Trees as padded arrays (trees × nodes); a leaf points to itself on both sides."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int
    bias: float

    @cached_property
    def _flat(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The trees as flat arrays indexed by a global node number (tree × nodes + node):
        each node's feature, threshold, value, its children side by side (left, right) and
        each tree's root. One-dimensional `take`s are several times faster than indexing
        the padded (trees × nodes) arrays with two index arrays."""
        trees, nodes = self.feature.shape
        offset = (np.arange(trees, dtype=np.intp) * nodes)[:, None]
        children = np.stack(((self.left + offset).ravel(), (self.right + offset).ravel()), 1)
        return (
            self.feature.ravel().astype(np.intp),
            self.threshold.ravel(),
            self.value.ravel(),
            children.ravel().astype(np.intp),
            offset.ravel(),
        )

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        """The summed leaf values of every tree for each row of `x` (rows × features)."""
        n, width = x.shape
        if n == 0:
            return np.zeros(0)
        feature, threshold, value, children, roots = self._flat
        cells = np.ascontiguousarray(x, dtype=np.float64).ravel()
        node = np.repeat(roots, n)  # tree-major: every row at each tree's root
        row_start = np.tile(np.arange(n, dtype=np.intp) * width, roots.shape[0])
        for _ in range(self.depth):
            # a missing value (NaN) is not <= the threshold, so it goes right
            go_right = ~(cells.take(row_start + feature.take(node)) <= threshold.take(node))
            node = children.take(node * 2 + go_right)
        out: np.ndarray = value.take(node).reshape(-1, n).sum(axis=0) + self.bias
        return out

    def probability(self, x: np.ndarray) -> np.ndarray:
        out: np.ndarray = 1.0 / (1.0 + np.exp(-self.log_odds(x)))
        return out

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {
            f"{prefix}feature": self.feature,
            f"{prefix}threshold": self.threshold,
            f"{prefix}left": self.left,
            f"{prefix}right": self.right,
            f"{prefix}value": self.value,
            f"{prefix}shape": np.array([self.depth], dtype=np.int32),
            f"{prefix}bias": np.array([self.bias]),
        }

    @classmethod
    def from_arrays(cls, data: dict[str, np.ndarray], prefix: str) -> TreeEnsemble:
        return cls(
            data[f"{prefix}feature"],
            data[f"{prefix}threshold"],
            data[f"{prefix}left"],
            data[f"{prefix}right"],
            data[f"{prefix}value"],
            int(data[f"{prefix}shape"][0]),
            float(data[f"{prefix}bias"][0]),
        )


_STAGE_TWO_RADII = (1, 2, 4, 8, 16)


def context_matrix(p: np.ndarray, containers: np.ndarray | None = None) -> np.ndarray:
    """What stage one thought of each block's surroundings (stage two's extra columns)."""
    from .features import window_means

    n = p.shape[0]
    cols = [p]
    cols.extend(window_means(p, _STAGE_TWO_RADII).T)
    sides = np.stack((window_means(p, (3, 12), "before"), window_means(p, (3, 12), "after")), 2)
    cols.extend(sides.reshape(n, 4).T)  # before and after 3, then 12
    confident = p >= 0.5
    before = np.maximum.accumulate(np.where(confident, np.arange(n), -1))
    after = np.minimum.accumulate(np.where(confident, np.arange(n), n)[::-1])[::-1]
    idx = np.arange(n)
    cols.append(np.log1p(np.where(before >= 0, idx - before, n)))
    cols.append(np.log1p(np.where(after < n, after - idx, n)))
    cols.append(np.full(n, float(p.mean()) if n else 0.0))
    cols.append(np.cumsum(confident) / max(1, int(confident.sum())))
    if containers is not None and n:
        k = int(containers.max()) + 1
        total = np.bincount(containers, weights=p, minlength=k)
        count = np.bincount(containers, minlength=k)
        cols.append(total[containers] / np.maximum(1, count[containers]))
    else:
        cols.append(p)
    return np.column_stack(cols) if n else np.zeros((0, len(cols)))


@dataclass(frozen=True)
class BlockModel:
    """Stage one and stage two, and the score above which a block is article."""

    first: TreeEnsemble
    second: TreeEnsemble
    threshold: float

    def scores(self, x: np.ndarray, containers: np.ndarray | None = None) -> np.ndarray:
        """The probability that each block is article text."""
        p1 = self.first.probability(x)
        return self.second.probability(np.hstack((x, context_matrix(p1, containers))))

    def save(self, path: str) -> None:
        """Write the weights as an `.npz` whose bytes depend on the weights alone.

        (`numpy.savez` stamps each member with the current time; here the stamp is fixed,
        so retraining on the same data reproduces the file byte for byte.)
        """
        arrays = {**self.first.arrays("first_"), **self.second.arrays("second_")}
        arrays["threshold"] = np.array([self.threshold])
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(arrays):
                info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[name]))
                archive.writestr(info, buffer.getvalue())

    @classmethod
    def from_file(cls, source: str | IO[bytes]) -> BlockModel:
        with np.load(source, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        return cls(
            TreeEnsemble.from_arrays(arrays, "first_"),
            TreeEnsemble.from_arrays(arrays, "second_"),
            float(arrays["threshold"][0]),
        )


@lru_cache(maxsize=2)
def shipped(mode: str) -> BlockModel:
    """The model shipped in the package for `mode` ("text" or "html"), loaded once."""
    path = resources.files("newsclean").joinpath(f"data/block_model_{mode}.npz")
    with path.open("rb") as f:
        return BlockModel.from_file(f)
