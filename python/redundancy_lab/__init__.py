"""Redundancy Lab from Python: how redundant an embedding space is (AAC, LR, NLR; Zollikofer et al., arXiv 2412.01926).

    import redundancy_lab as rl
    r = rl.measure(features)            # a NumPy array, a torch tensor, or a path (.npy .npz .pt .safetensors .csv …)
    r.aac, r.lr, r.nlr                  # the means; r.per_dim: one row per dim; r.warnings; r.reliability
    r                                   # in Jupyter: the self-contained report, inline
    rl.study({"proj1": z1, "proj2": z2}, labels=y)
    rl.compare(layer1, layer2).linear_cka

Every number is the project's CLI's (src/cli, the same core as the browser app): arrays are written as .npy files
in a temporary folder (removed afterwards), the CLI measures them, and its JSON comes back. See _cli.py for how
the CLI and Node are found.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

import numpy as np

from ._cli import RedundancyLabError, run

__all__ = ["measure", "study", "compare", "Result", "StudyResult", "CompareResult", "RedundancyLabError"]
__version__ = "0.1.0"

ArrayLike = Any  # np.ndarray, a torch tensor, or a path

# keyword settings → CLI flags (the CLI's README section lists them)
_FLAGS = {
    "array": "--array",
    "nlr_dims": "--nlr-dims",
    "epochs": "--epochs",
    "optimizer": "--optimizer",
    "nlr_rows": "--nlr-rows",
    "seed": "--seed",
    "protocol": "--protocol",
    "authors_input": "--authors-input",
    "backend": "--backend",
    "threads": "--threads",
    "top_predictors": "--top-predictors",
    "splits": "--splits",
    "labels_array": "--labels-array",
}
_SWITCHES = {"shards": "--shards", "layers": "--layers"}


def _settings_args(preset: Optional[str], measures: Optional[Sequence[str]], settings: Mapping[str, Any]) -> List[str]:
    args: List[str] = []
    if preset is not None:
        args += ["--preset", preset]
    if measures is not None:
        args += ["--measures", ",".join(measures) if not isinstance(measures, str) else measures]
    for key, value in settings.items():
        if value is None:
            continue
        if key in _SWITCHES:
            if value:
                args.append(_SWITCHES[key])
        elif key in _FLAGS:
            if isinstance(value, (list, tuple)):
                value = ",".join(str(v) for v in value)
            args += [_FLAGS[key], str(value)]
        else:
            known = ", ".join(sorted([*_FLAGS, *_SWITCHES]))
            raise TypeError(f"unknown setting {key!r}; known: {known}")
    return args


def _as_file(x: ArrayLike, folder: str, name: str) -> str:
    """A path the CLI can read: paths as they are; arrays and tensors saved as .npy in `folder` (their own dtype)."""
    if isinstance(x, (str, os.PathLike)):
        path = Path(x)
        if not path.exists():
            raise RedundancyLabError(f"{path}: no such file")
        return str(path)
    if hasattr(x, "detach") and hasattr(x, "cpu"):  # a torch tensor, without importing torch
        x = x.detach().cpu().numpy()
    array = np.asarray(x)
    if array.dtype == object:
        raise RedundancyLabError(f"{name}: an array of Python objects cannot be measured; pass numbers (N samples × D dims)")
    target = os.path.join(folder, f"{name}.npy")
    np.save(target, np.ascontiguousarray(array))
    return target


def _values(xs: Optional[Iterable[Optional[float]]]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in (xs or [])], dtype=float)


def _value(block: Optional[Mapping[str, Any]]) -> Optional[float]:
    return None if not block else block.get("value")


class _Reported:
    """What every result has: the CLI's JSON (`.data`) and, when the CLI wrote one, its self-contained HTML report."""

    _what = "result"

    def __init__(self, data: Dict[str, Any], report_html: Optional[str] = None):
        self.data = data
        self._report = report_html

    def to_json(self) -> str:
        return json.dumps(self.data, indent=2)

    def report(self, path: Union[str, os.PathLike]) -> Path:
        """Writes the self-contained HTML report (tables, warnings, settings, SVG charts; no script)."""
        if self._report is None:
            raise RedundancyLabError(f"this {self._what} has no report")
        target = Path(path)
        target.write_text(self._report, encoding="utf-8")
        return target

    def _repr_html_(self) -> Optional[str]:
        return self._report


class Result(_Reported):
    """One measurement: the CLI's JSON (`.data`), its means, a per-dim table and the self-contained HTML report."""

    def __init__(self, data: Dict[str, Any], report_html: Optional[str] = None, probe: Optional[Dict[str, Any]] = None):
        super().__init__(data, report_html)
        self.probe = probe

    aac = property(lambda self: _value(self.data.get("aac")), doc="average absolute correlation (None if not measured)")
    lr = property(lambda self: _value(self.data.get("lr")), doc="linear redundancy: mean held-out ridge R²")
    nlr = property(lambda self: _value(self.data.get("nlr")), doc="non-linear redundancy: mean held-out MLP R²")
    reliability = property(lambda self: self.data.get("reliability") or {}, doc="null baseline, adjusted LR, training read-out …")
    warnings = property(lambda self: list(self.reliability.get("warnings", [])), doc="graded warnings: {code, severity, message, measures}")

    @property
    def probe_accuracy(self) -> Optional[float]:
        return None if not self.probe else self.probe.get("accuracy")

    @property
    def per_dim(self):
        """One row per dim: AAC's mean |r|, LR, its α, NLR, NLR − LR, adjusted LR (NaN where not measured).
        A pandas DataFrame when pandas is installed, else a dict of NumPy arrays."""
        d = self.data["d"]
        lr = self.data.get("lr") or {}
        nlr = self.data.get("nlr") or {}
        columns = {
            "dim": np.arange(d),
            "mean_abs_corr": _values((self.data.get("aac") or {}).get("meanAbsCorrPerDim")),
            "lr": _values(lr.get("perDim")),
            "lr_alpha": _values(lr.get("alphaPerDim")),
            "nlr": _values(nlr.get("perDim")),
            "nlr_minus_lr": _values(nlr.get("minusLrPerDim")),
            "lr_adjusted": _values(self.reliability.get("lrAdjustedPerDim")),
        }
        columns = {k: (v if len(v) == d else np.full(d, np.nan)) for k, v in columns.items()}
        try:
            import pandas as pd
        except ImportError:
            return columns
        return pd.DataFrame(columns).set_index("dim")

    def __repr__(self) -> str:
        def show(v: Optional[float]) -> str:
            return "—" if v is None else f"{v:.4f}"

        return f"<redundancy_lab.Result {self.data.get('file')}: {self.data.get('n')} × {self.data.get('d')}, AAC {show(self.aac)}, LR {show(self.lr)}, NLR {show(self.nlr)}>"


def measure(x: ArrayLike, labels: Optional[ArrayLike] = None, preset: str = "quick", measures: Optional[Sequence[str]] = None, progress: bool = True, **settings: Any) -> Result:
    """AAC, LR and NLR of one embedding matrix (N samples × D dims): a NumPy array, a torch tensor, or a file path.

    preset: 'quick' (the app's default) or 'paper' (the authors' protocol); measures: e.g. ['aac', 'lr'];
    settings: array, nlr_dims, epochs, optimizer, nlr_rows, seed, protocol, authors_input, backend, threads, top_predictors.
    labels (an array or a path): also the held-out linear-probe accuracy (`.probe_accuracy`).
    """
    with tempfile.TemporaryDirectory(prefix="redundancy-lab-") as folder:
        file = _as_file(x, folder, "embeddings")
        report = os.path.join(folder, "report.html")
        out = run(["measure", file, "--json", "--report", report, *_settings_args(preset, measures, settings)], progress=progress)
        data = json.loads(out)
        html = Path(report).read_text(encoding="utf-8") if os.path.exists(report) else None
        probe = None
        if labels is not None:
            labels_file = _as_file(labels, folder, "labels")
            probe_args = ["probe", file, "--labels", labels_file, "--json"]
            for key in ("array", "seed", "labels_array"):
                if settings.get(key) is not None:
                    probe_args += [_FLAGS[key], str(settings[key])]
            probe = json.loads(run(probe_args, progress=progress))
    return Result(data, html, probe)


class StudyResult(_Reported):
    """A study: one row per model (its measures and probe accuracy) and how the measures track accuracy."""

    _what = "study"

    rows = property(lambda self: self.data.get("rows", []))
    correlations = property(lambda self: self.data.get("correlations"))
    skipped = property(lambda self: self.data.get("skipped", []), doc="files that could not be measured, with the message")
    warnings = property(lambda self: self.data.get("warnings", []))

    @property
    def table(self):
        """The rows as a pandas DataFrame when pandas is installed, else the list of dicts."""
        try:
            import pandas as pd
        except ImportError:
            return self.rows
        return pd.DataFrame(self.rows)



def study(models: Union[Sequence[ArrayLike], Mapping[str, ArrayLike]], labels: Optional[ArrayLike] = None, preset: str = "quick", measures: Optional[Sequence[str]] = None, progress: bool = True, **settings: Any) -> StudyResult:
    """Several models (arrays, tensors or paths; a dict names them) on the same samples: measures, probe accuracy
    with `labels`, and their correlations. Files the CLI cannot measure are in `.skipped` with its message."""
    items = list(models.items()) if isinstance(models, Mapping) else [(f"model{i + 1}", m) for i, m in enumerate(models)]
    with tempfile.TemporaryDirectory(prefix="redundancy-lab-") as folder:
        files = [_as_file(m, folder, str(name)) for name, m in items]
        out_json = os.path.join(folder, "study.json")
        report = os.path.join(folder, "study.html")
        args = ["study", *files, "--out", out_json, "--report", report, *_settings_args(preset, measures, settings)]
        if labels is not None:
            args += ["--labels", _as_file(labels, folder, "labels")]
        run(args, progress=progress)
        data = json.loads(Path(out_json).read_text(encoding="utf-8"))
        html = Path(report).read_text(encoding="utf-8") if os.path.exists(report) else None
    return StudyResult(data, html)


class CompareResult(_Reported):
    """Linear CKA (and its debiased estimator) between every pair of representations of the same rows."""

    _what = "comparison"

    files = property(lambda self: self.data["files"])
    linear_cka = property(lambda self: np.array(self.data["linearCka"], dtype=float))
    linear_cka_debiased = property(lambda self: np.array(self.data["linearCkaDebiased"], dtype=float))

    def __repr__(self) -> str:
        return f"<redundancy_lab.CompareResult {len(self.files)} representations, linear CKA\n{np.array2string(self.linear_cka, precision=4)}>"


def compare(*representations: ArrayLike, array: Optional[str] = None, progress: bool = True) -> CompareResult:
    """Linear CKA between two or more representations of the same N rows (arrays, tensors or paths)."""
    if len(representations) < 2:
        raise RedundancyLabError("compare needs at least two representations of the same rows")
    with tempfile.TemporaryDirectory(prefix="redundancy-lab-") as folder:
        files = [_as_file(r, folder, f"representation{i + 1}") for i, r in enumerate(representations)]
        args = ["compare", *files, "--json"] + (["--array", array] if array else [])
        return CompareResult(json.loads(run(args, progress=progress)))
